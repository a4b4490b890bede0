package com.oneclick.provisioner.git;

import com.oneclick.model.RequestIds;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.PackFile;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The infrastructure repository through JGit: a local repository in {@code workDir} (bare; an
 * older non-bare clone there is used as it is) that mirrors the configured remote (a path or an
 * HTTPS URL), one directory per stack under {@code stacks/}.
 *
 * <p>Commits are made at the object level: the branch tip's tree is read into an in-memory index,
 * the stacks' files are written as blobs, and a new tree and commit are written from it. No working
 * tree is checked out, reset or scanned, so a commit costs the same whether the repository holds
 * ten stacks or a hundred thousand (but for rewriting the {@code stacks} tree object itself).
 *
 * <p>Pushing: commit locally, push the branch, check every {@link RemoteRefUpdate.Status} (a
 * rejected push does not throw). A non-fast-forward rejection (someone else pushed) fetches, then
 * replays our unpushed commits onto the remote branch (each commit's stack changes, path by path)
 * and tries again; an unreachable remote is tried again with exponential backoff. After
 * {@code maxAttempts} the call throws {@link StackPushException} and nothing is lost: the local
 * commit stays and the next call pushes it.
 *
 * <p>An empty remote is fine: the branch is unborn until the first push creates it. HTTPS
 * credentials come from the configuration and are never logged.
 *
 * <p>Housekeeping: every commit leaves its new objects loose, among them a new {@code stacks} tree
 * (6.3 MB at 100,000 stacks). Once the objects written loose since the last repack reach the
 * {@link Repack} policy's count or size, a {@link Repacker} thread packs everything reachable
 * into one pack while pushes go on; the next call deletes the packs it replaced and the loose
 * copies, with the lock held, and opens the repository afresh.
 */
public final class StackRepository implements StackStore, AutoCloseable {

    public static final String STACKS_DIR = "stacks";
    private static final String REMOTE = "origin";
    private static final String AUTHOR_NAME = "OneClick";
    private static final String AUTHOR_EMAIL = "oneclick@localhost";
    /** zlib level of loose objects: none (see {@link #open}). */
    private static final int LOOSE_COMPRESSION = 0;
    /** zlib level of the packs pushed to a remote over the network: the fastest. */
    private static final int NETWORK_PACK_COMPRESSION = 1;
    private static final int MADE_STACK_TREES = 10_000;
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*|^[^/\\\\]+@[^/\\\\]+:.*");
    private static final Pattern FILE_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");
    private static final Logger log = LoggerFactory.getLogger(StackRepository.class);

    /**
     * When the local repository is repacked: once this many objects, or this many bytes of them,
     * have been written loose since the last repack (or were loose when it was opened).
     */
    public record Repack(long afterLooseObjects, long afterLooseBytes) {
        /**
         * Git's own threshold for an automatic gc (6,700 loose objects: about 1,100 single-stack
         * commits), or 256 MB (about 40 commits at 100,000 stacks, whose repack then takes ~10 s of
         * one core).
         */
        public static final Repack DEFAULT = new Repack(6_700, 256L << 20);

        public Repack {
            if (afterLooseObjects < 1 || afterLooseBytes < 1) {
                throw new IllegalArgumentException(
                        "oneclick.git.repack.after-loose-objects and after-loose-size must be at least 1");
            }
        }
    }

    private final Path workDir;
    private final String remoteUrl;
    private final String branch;
    private final CredentialsProvider credentials;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration timeout;
    private final Repacker repacker;
    private Repository repository;
    /**
     * The last {@code stacks} tree read or written, by ID (guarded by {@code this}). At 100,000
     * stacks it is ~6 MB, which the next commit and every local build of the commit's stacks would
     * otherwise inflate again.
     */
    private ObjectId cachedStacksTreeId;
    private byte[] cachedStacksTree;
    /**
     * The stack trees of the last {@value #MADE_STACK_TREES} stacks pushed, by {@code <commit>/<request ID>}
     * (guarded by {@code this}). The local build reads a stack at the commit it was pushed in, which
     * later pushes have usually moved past by then, so that commit's {@code stacks} tree is no longer
     * the one in memory; at 100,000 stacks reading it again cost ~40 ms of CPU per build. Objects are
     * content-addressed, so an entry is never stale.
     */
    private final Map<String, ObjectId> madeStackTrees = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectId> eldest) {
            return size() > MADE_STACK_TREES;
        }
    };

    /**
     * @param remote   a URL, or a path; a path that does not exist becomes a new empty bare repository
     * @param username HTTPS user name; may be blank (then {@code x-token-auth} is sent with a token)
     * @param token    HTTPS token or password; blank for none. Kept only inside the credentials provider.
     */
    public StackRepository(Path workDir, String remote, String branch, String username, String token,
                           int maxAttempts, Duration backoff, Duration timeout) {
        this(workDir, remote, branch, username, token, maxAttempts, backoff, timeout, Repack.DEFAULT);
    }

    /** As above, with the policy that decides when the local repository is repacked. */
    public StackRepository(Path workDir, String remote, String branch, String username, String token,
                           int maxAttempts, Duration backoff, Duration timeout, Repack repack) {
        if (branch == null || branch.isBlank() || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            throw new IllegalArgumentException("oneclick.git.branch is not a valid branch name");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("oneclick.git.push.max-attempts must be at least 1");
        }
        this.workDir = workDir.toAbsolutePath().normalize();
        this.remoteUrl = resolveRemote(remote, branch);
        this.branch = branch;
        this.credentials = token == null || token.isBlank() ? null
                : new UsernamePasswordCredentialsProvider(username == null || username.isBlank() ? "x-token-auth"
                : username, token);
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.timeout = timeout;
        this.repacker = new Repacker(this.workDir, Objects.requireNonNull(repack, "repack"));
        log.info("Infrastructure repository {} (branch {}), local repository {}", redact(remoteUrl), branch,
                this.workDir);
    }

    @Override
    public String branch() {
        return branch;
    }

    @Override
    public String stackPath(String requestId) {
        return STACKS_DIR + "/" + checkId(requestId);
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public synchronized Map<String, String> pushStacks(Map<String, Map<String, byte[]>> stacks, String message) {
        if (stacks.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, byte[]>> byPath = new LinkedHashMap<>();
        stacks.forEach((requestId, files) -> {
            files.keySet().forEach(StackRepository::checkFileName);
            byPath.put(stackPath(requestId), files);
        });
        String what = byPath.size() == 1 ? "push " + byPath.keySet().iterator().next()
                : "push of " + byPath.size() + " stacks";
        Git git = open();
        return withRetries(what, git, () -> {
            Committed committed = commitStacks(byPath, message);
            ObjectId head = committed.commit().map(StacksCommit::id).orElse(null);
            // the stacks the commit changed, as its tree merge found them
            Set<String> changed = new HashSet<>();
            committed.commit().ifPresent(made -> made.setStacks()
                    .forEach(name -> changed.add(STACKS_DIR + "/" + name)));
            Optional<ObjectId> squashed = squashUnpushed();
            if (squashed.isPresent()) {
                // the squash's parent is the remote tip, which earlier unpushed commits had moved past
                head = squashed.get();
                changed.clear();
                changed.addAll(changedIn(head, byPath.keySet()));
            }
            Map<String, String> commits = new LinkedHashMap<>();
            // a stack this commit changed was last changed by it; only unchanged ones need the history
            for (String requestId : stacks.keySet()) {
                String stackPath = stackPath(requestId);
                String commitId;
                if (changed.contains(stackPath)) {
                    // the commit's tree is the one written with this stack tree (a squash keeps it)
                    commitId = head.name();
                    madeStackTrees.put(commitId + "/" + requestId, committed.stackTrees().get(requestId));
                } else {
                    commitId = lastCommitTouching(git, stackPath)
                            .orElseThrow(() -> new IllegalStateException("no commit holds " + stackPath));
                }
                commits.put(requestId, commitId);
            }
            return commits;
        });
    }

    /** Commits the stack locally, without pushing; returns the commit that holds it. For tests and tools. */
    public synchronized String commitStack(String requestId, Map<String, byte[]> files, String message) {
        String stackPath = stackPath(requestId);
        files.keySet().forEach(StackRepository::checkFileName);
        Git git = open();
        try {
            startBranch(git);
            commitStacks(Map.of(stackPath, files), message);
            return lastCommitTouching(git, stackPath).orElseThrow();
        } catch (GitAPIException | IOException e) {
            throw new StackPushException("cannot commit " + stackPath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void revertStack(String requestId, String commitId) {
        String stackPath = stackPath(requestId);
        ObjectId commit = parseCommitId(commitId);
        Git git = open();
        withRetries("revert " + stackPath, git, () -> {
            if (holds(stackPath)) {
                ensureObject(git, commit);
                String reverted = removeStack(stackPath, commit);
                log.info("Reverted {} ({}) as {}", stackPath, commitId, reverted);
            }
            return null;
        });
    }

    /** A stack file as it is in {@code commitId}. */
    public synchronized byte[] readStackFile(String commitId, String requestId, String fileName) {
        String path = stackPath(requestId) + "/" + checkFileName(fileName);
        ObjectId commit = parseCommitId(commitId);
        Git git = open();
        try {
            ensureObject(git, commit);
            Repository repo = git.getRepository();
            try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
                ObjectId stackTree = madeStackTrees.get(commit.name() + "/" + requestId);
                if (stackTree == null) {
                    stackTree = stackTreeId(reader, walk.parseCommit(commit).getTree(), stackPath(requestId));
                }
                ObjectId file = stackTree == null ? null : entryId(reader, stackTree, fileName);
                if (file == null) {
                    throw new StackPushException("commit " + commitId + " holds no " + path, null);
                }
                return reader.open(file, Constants.OBJ_BLOB).getBytes();
            }
        } catch (IOException | GitAPIException e) {
            throw new StackPushException("cannot read " + path + " from " + commitId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops a repack under way (it leaves the repository as it was), lets a finished one's pack
     * take over, and closes the local repository. A later call opens it again.
     */
    @Override
    public void close() {
        try {
            repacker.stop(Duration.ofSeconds(30));
        } finally {
            synchronized (this) {
                if (repacker.hasReplaced()) {
                    try {
                        open();
                    } catch (StackPushException e) {
                        log.warn("Could not let the last repack's pack take over: {}", e.getMessage());
                    }
                }
                closeRepository();
                repacker.resume();
            }
        }
    }

    /** Waits until no repack is under way (or {@code atMost} passed); true when none is. For tests. */
    boolean awaitRepack(Duration atMost) {
        return repacker.awaitIdle(atMost);
    }

    // ---- the retry loop --------------------------------------------------------------------------

    private interface Step<T> {
        T run() throws GitAPIException, IOException;
    }

    private <T> T withRetries(String what, Git git, Step<T> change) {
        Exception last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                startBranch(git);
                T result = change.run();
                Pushed pushed = pushBranch(git);
                if (pushed == Pushed.YES) {
                    repacker.repackIfDue((FileRepository) repository);
                    // the result was computed after the last replay, so it names commits as pushed
                    return result;
                }
                if (pushed == Pushed.BRANCH_LOCKED) {
                    // another writer, or the server's own housekeeping (packing refs), held the branch
                    if (attempt < maxAttempts) {
                        Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 10));
                        log.info("{}: the remote could not lock the branch (attempt {}/{}); trying again in {} ms",
                                what, attempt, maxAttempts, wait.toMillis());
                        sleep(wait);
                    }
                    continue;
                }
                log.info("{}: the remote moved on (attempt {}/{}); fetching and replaying", what, attempt,
                        maxAttempts);
                fetch(git);
                replayOntoRemote();
            } catch (TransportException | InvalidRemoteException e) {
                if (authenticationFailed(e)) {
                    throw new StackPushException(what + " failed: the remote refused the credentials ("
                            + redact(e.getMessage()) + "); check ONECLICK_GIT_USERNAME and ONECLICK_GIT_TOKEN", e);
                }
                last = e;
                if (attempt < maxAttempts) {
                    Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 10));
                    log.warn("{}: remote unreachable (attempt {}/{}), retrying in {} ms: {}", what, attempt,
                            maxAttempts, wait.toMillis(), redact(e.getMessage()));
                    sleep(wait);
                }
            } catch (GitAPIException | IOException e) {
                throw new StackPushException(what + " failed: " + redact(e.getMessage()), e);
            }
        }
        throw new StackPushException(what + " failed after " + maxAttempts + " attempts"
                + (last == null ? " (the remote kept moving or kept its branch locked)" : ": "
                + redact(last.getMessage())), last);
    }

    // ---- the local repository ----------------------------------------------------------------------

    /** The local repository, opened once: an existing one (bare, or an older clone's .git), or a new bare one. */
    private Git open() {
        try {
            List<PackFile> replaced = repacker.takeReplaced();
            if (replaced != null) {
                // a repack finished: nothing else runs now, so its pack can take over (below)
                closeRepository();
                Repacker.deletePacks(replaced);
            }
            if (repository == null) {
                Path dotGit = workDir.resolve(Constants.DOT_GIT);
                if (Files.isDirectory(dotGit)) {
                    repository = new FileRepositoryBuilder().setGitDir(dotGit.toFile()).setMustExist(true).build();
                } else if (Files.isRegularFile(workDir.resolve(Constants.HEAD))) {
                    repository = new FileRepositoryBuilder().setGitDir(workDir.toFile()).setMustExist(true).build();
                } else {
                    Files.createDirectories(workDir);
                    Git.init().setBare(true).setDirectory(workDir.toFile()).setInitialBranch(branch).call().close();
                    repository = new FileRepositoryBuilder().setGitDir(workDir.toFile()).setMustExist(true).build();
                    log.info("Created the local repository {}", workDir);
                }
                StoredConfig config = repository.getConfig();
                config.setString("remote", REMOTE, "url", remoteUrl);
                config.setString("remote", REMOTE, "fetch", "+refs/heads/*:refs/remotes/" + REMOTE + "/*");
                config.setString("user", null, "name", AUTHOR_NAME);
                config.setString("user", null, "email", AUTHOR_EMAIL);
                config.setBoolean("commit", null, "gpgsign", false);
                // A commit's stacks tree lists every stack (6.3 MB at 100,000) and is mostly object IDs
                // and request IDs, which zlib's fastest level shrinks by a quarter only, at ~120 ms of
                // CPU; every later read of it (the next commit, the push) inflates it again. So loose
                // objects are stored uncompressed (zlib level 0, still the loose format git reads), and
                // a pushed pack is compressed only when it crosses a network: a remote that is a path
                // on this machine gets it as it is (JGit's default is level 6 for both).
                config.setInt(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_COMPRESSION,
                        LOOSE_COMPRESSION);
                config.setInt(ConfigConstants.CONFIG_PACK_SECTION, null, ConfigConstants.CONFIG_KEY_COMPRESSION,
                        networkRemote() ? NETWORK_PACK_COMPRESSION : 0);
                config.save();
                if (replaced != null) {
                    repacker.pruneLoose((FileRepository) repository);
                }
                // what is loose (left by an older version, which never repacked) counts toward the next repack
                repacker.countLoose((FileRepository) repository);
            }
            return Git.wrap(repository);
        } catch (IOException | GitAPIException e) {
            close();
            throw new StackPushException("cannot open the local repository " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** An inserter into the local repository that counts what it writes toward the next repack. */
    private ObjectInserter newInserter() {
        ObjectInserter inserter = repository.newObjectInserter();
        return new ObjectInserter.Filter() {
            @Override
            protected ObjectInserter delegate() {
                return inserter;
            }

            @Override
            public ObjectId insert(int type, byte[] data) throws IOException {
                return insert(type, data, 0, data.length);
            }

            @Override
            public ObjectId insert(int type, byte[] data, int off, int len) throws IOException {
                repacker.written(len);
                return inserter.insert(type, data, off, len);
            }

            @Override
            public ObjectId insert(int type, long length, InputStream in) throws IOException {
                repacker.written(length);
                return inserter.insert(type, length, in);
            }
        };
    }

    private void closeRepository() {
        if (repository != null) {
            repository.close();
            repository = null;
        }
    }

    /** Whether the remote is reached over the network (a URL), not a repository on this machine's disk. */
    private boolean networkRemote() {
        return URL.matcher(remoteUrl).matches();
    }

    /** While our branch is unborn, starts it at the remote branch (when the remote has one). */
    private void startBranch(Git git) throws GitAPIException, IOException {
        Repository repo = git.getRepository();
        if (repo.resolve(Constants.R_HEADS + branch) != null) {
            return;
        }
        fetch(git);
        ObjectId remoteHead = repo.resolve(remoteBranch());
        if (remoteHead != null) {
            setBranch(remoteHead, null, "start from " + remoteBranch());
        }
    }

    /**
     * Writes each stack's files as blobs and commits those that differ from the branch tip, all in
     * one commit on the branch.
     *
     * @return the new commit (empty when every stack was already as given) and each stack's tree, by request ID
     */
    private Committed commitStacks(Map<String, Map<String, byte[]>> stacksByPath, String message)
            throws IOException {
        Map<String, ObjectId> stackTrees = new LinkedHashMap<>();
        try (ObjectInserter inserter = newInserter()) {
            for (Map.Entry<String, Map<String, byte[]>> stack : stacksByPath.entrySet()) {
                TreeFormatter files = new TreeFormatter();
                for (String name : new java.util.TreeSet<>(stack.getValue().keySet())) {
                    files.append(name, FileMode.REGULAR_FILE,
                            inserter.insert(Constants.OBJ_BLOB, stack.getValue().get(name)));
                }
                stackTrees.put(stack.getKey().substring(STACKS_DIR.length() + 1), inserter.insert(files));
            }
            Optional<StacksCommit> commit = commitStackTrees(inserter, stackTrees, message);
            commit.ifPresent(made -> log.info("Committed {} as {}", stacksByPath.size() == 1
                    ? stacksByPath.keySet().iterator().next() : stacksByPath.size() + " stacks", made.id().name()));
            return new Committed(commit, stackTrees);
        }
    }

    /** What {@link #commitStacks} wrote: the commit, if one was needed, and each stack's tree by request ID. */
    private record Committed(Optional<StacksCommit> commit, Map<String, ObjectId> stackTrees) {
    }

    /** A commit of the {@code stacks} tree, and the entries it set to a tree they did not have before. */
    private record StacksCommit(ObjectId id, Set<String> setStacks) {
    }

    /**
     * The fast path for what the provisioner does all day: sets (or, with a null tree, removes) entries
     * of the {@code stacks} directory and commits. Only the {@code stacks} tree object and the root
     * tree are rewritten: one pass over the directory's entries, no index, no working tree.
     *
     * @return the new commit; empty when every entry already was as given
     */
    private Optional<StacksCommit> commitStackTrees(ObjectInserter inserter, Map<String, ObjectId> stackTrees,
                                                String message) throws IOException {
        ObjectId head = repository.resolve(Constants.R_HEADS + branch);
        try (ObjectReader reader = inserter.newReader(); RevWalk walk = new RevWalk(reader)) {
            RevTree root = head == null ? null : walk.parseCommit(head).getTree();
            java.util.TreeMap<String, TreeEntry> rootEntries = entries(reader, root);
            TreeEntry stacksEntry = rootEntries.get(STACKS_DIR);
            MergedTree stacks = merge(reader, stacksEntry == null ? null : stacksEntry.id(), stackTrees);
            if (!stacks.changed()) {
                return Optional.empty();
            }
            if (stacks.entries() == 0) {
                rootEntries.remove(STACKS_DIR);
            } else {
                byte[] raw = stacks.tree().toByteArray();
                ObjectId written = inserter.insert(Constants.OBJ_TREE, raw);
                rootEntries.put(STACKS_DIR, new TreeEntry(FileMode.TREE, written));
                cachedStacksTreeId = written.copy();
                cachedStacksTree = raw;
            }
            ObjectId commitId = insertCommit(inserter, inserter.insert(format(rootEntries)), head,
                    new PersonIdent(AUTHOR_NAME, AUTHOR_EMAIL), message);
            setBranch(commitId, head, "commit: " + firstLine(message));
            return Optional.of(new StacksCommit(commitId, stacks.setEntries()));
        }
    }

    private record TreeEntry(FileMode mode, ObjectId id) {
    }

    /**
     * A tree written from an old one and some edits: its entries, how many, whether an edit changed it,
     * and the names an edit set to a tree they did not have (added or changed).
     */
    private record MergedTree(TreeFormatter tree, int entries, boolean changed, Set<String> setEntries) {
    }

    /**
     * The {@code stacks} tree with the given stack directories set (to a tree ID) or removed (null),
     * in one pass over the old tree: its entries are copied as raw bytes in their (already git) order
     * and the edits are slotted in, so a commit costs one read and one write of the tree whatever the
     * number of stacks, without sorting or holding its entries as objects.
     */
    private MergedTree merge(ObjectReader reader, ObjectId old, Map<String, ObjectId> edits)
            throws IOException {
        java.util.TreeMap<String, ObjectId> pending = new java.util.TreeMap<>(edits);
        TreeFormatter out = new TreeFormatter();
        int entries = 0;
        boolean changed = false;
        Set<String> set = new HashSet<>();
        if (old != null) {
            CanonicalTreeParser parser = new CanonicalTreeParser();
            parser.reset(stacksTree(reader, old));
            byte[] next = pending.isEmpty() ? null : bytes(pending.firstKey());
            while (!parser.eof()) {
                byte[] name = parser.getEntryPathBuffer();
                int length = parser.getEntryPathLength();
                boolean tree = FileMode.TREE.equals(parser.getEntryRawMode());
                // edits that sort before this entry are new directories
                int order = next == null ? 1 : compareGitNames(next, true, name, length, tree);
                while (order < 0) {
                    Map.Entry<String, ObjectId> edit = pending.pollFirstEntry();
                    if (edit.getValue() != null) {
                        out.append(edit.getKey(), FileMode.TREE, edit.getValue());
                        entries++;
                        changed = true;
                        set.add(edit.getKey());
                    }
                    next = pending.isEmpty() ? null : bytes(pending.firstKey());
                    order = next == null ? 1 : compareGitNames(next, true, name, length, tree);
                }
                if (order == 0 && tree) {
                    Map.Entry<String, ObjectId> edit = pending.pollFirstEntry();
                    ObjectId to = edit.getValue();
                    next = pending.isEmpty() ? null : bytes(pending.firstKey());
                    if (to == null) {
                        changed = true;
                    } else {
                        if (!to.equals(parser.getEntryObjectId())) {
                            changed = true;
                            set.add(edit.getKey());
                        }
                        out.append(name, 0, length, FileMode.TREE, to);
                        entries++;
                    }
                } else {
                    out.append(name, 0, length, parser.getEntryFileMode(), parser.getEntryObjectId());
                    entries++;
                }
                parser.next();
            }
        }
        for (Map.Entry<String, ObjectId> edit : pending.entrySet()) {
            if (edit.getValue() != null) {
                out.append(edit.getKey(), FileMode.TREE, edit.getValue());
                entries++;
                changed = true;
                set.add(edit.getKey());
            }
        }
        return new MergedTree(out, entries, changed, set);
    }

    /** The raw bytes of a {@code stacks} tree, from the one-entry cache when it is the last one used. */
    private byte[] stacksTree(ObjectReader reader, ObjectId id) throws IOException {
        if (!id.equals(cachedStacksTreeId)) {
            cachedStacksTree = reader.open(id, Constants.OBJ_TREE).getCachedBytes(Integer.MAX_VALUE);
            cachedStacksTreeId = id.copy();
        }
        return cachedStacksTree;
    }

    /** The ID of the entry {@code name} of a tree; null when there is none. */
    private static ObjectId entryId(ObjectReader reader, ObjectId tree, String name) throws IOException {
        return entryId(reader.open(tree, Constants.OBJ_TREE).getCachedBytes(Integer.MAX_VALUE), name);
    }

    /** The ID of the entry {@code name} of a tree given as raw bytes; null when there is none. */
    private static ObjectId entryId(byte[] rawTree, String name) {
        byte[] wanted = bytes(name);
        CanonicalTreeParser parser = new CanonicalTreeParser();
        parser.reset(rawTree);
        while (!parser.eof()) {
            if (parser.getEntryPathLength() == wanted.length
                    && java.util.Arrays.equals(parser.getEntryPathBuffer(), 0, wanted.length, wanted, 0, wanted.length)) {
                return parser.getEntryObjectId();
            }
            parser.next();
        }
        return null;
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** Git's tree order: bytes compared as unsigned, a directory's name as if it ended with '/'. */
    static int compareGitNames(byte[] a, boolean aTree, byte[] b, int bLength, boolean bTree) {
        int n = Math.min(a.length, bLength);
        for (int i = 0; i < n; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        int aNext = a.length > n ? a[n] & 0xff : aTree ? '/' : 0;
        int bNext = bLength > n ? b[n] & 0xff : bTree ? '/' : 0;
        return aNext - bNext;
    }

    /** A tree's entries by name (empty for no tree). */
    private static java.util.TreeMap<String, TreeEntry> entries(ObjectReader reader, ObjectId tree)
            throws IOException {
        java.util.TreeMap<String, TreeEntry> entries = new java.util.TreeMap<>();
        if (tree == null) {
            return entries;
        }
        CanonicalTreeParser parser = new CanonicalTreeParser(null, reader, tree);
        while (!parser.eof()) {
            entries.put(parser.getEntryPathString(), new TreeEntry(parser.getEntryFileMode(),
                    parser.getEntryObjectId()));
            parser.next();
        }
        return entries;
    }

    /** A tree object from entries, in git's order (a directory sorts as if its name ended in '/'). */
    private static TreeFormatter format(java.util.TreeMap<String, TreeEntry> entries) {
        List<Map.Entry<String, TreeEntry>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort((a, b) -> gitName(a).compareTo(gitName(b)));
        TreeFormatter formatter = new TreeFormatter();
        for (Map.Entry<String, TreeEntry> entry : sorted) {
            formatter.append(entry.getKey(), entry.getValue().mode(), entry.getValue().id());
        }
        return formatter;
    }

    private static String gitName(Map.Entry<String, TreeEntry> entry) {
        return entry.getValue().mode() == FileMode.TREE ? entry.getKey() + "/" : entry.getKey();
    }

    /**
     * Applies path edits to the branch tip's tree and commits the result on the branch; nothing when
     * the tree does not change.
     */
    private Optional<ObjectId> commit(ObjectInserter inserter, List<DirCacheEditor.PathEdit> edits, String message,
                                      PersonIdent author) throws IOException {
        Repository repo = repository;
        ObjectId head = repo.resolve(Constants.R_HEADS + branch);
        try (ObjectReader reader = inserter.newReader(); RevWalk walk = new RevWalk(reader)) {
            DirCache index = DirCache.newInCore();
            ObjectId oldTree = null;
            if (head != null) {
                oldTree = walk.parseCommit(head).getTree();
                DirCacheBuilder builder = index.builder();
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, oldTree);
                builder.finish();
            }
            DirCacheEditor editor = index.editor();
            edits.forEach(editor::add);
            editor.finish();
            ObjectId newTree = index.writeTree(inserter);
            if (newTree.equals(oldTree) || (oldTree == null && index.getEntryCount() == 0)) {
                return Optional.empty();
            }
            ObjectId commitId = insertCommit(inserter, newTree, head, author, message);
            setBranch(commitId, head, "commit: " + firstLine(message));
            return Optional.of(commitId);
        }
    }

    /**
     * Makes our commits that the remote does not have yet (left by pushes that failed) into one,
     * so a push carries a single new commit and every stack it changes is in that commit: a CI build
     * started by the push builds the head commit only.
     *
     * @return the squashed commit; empty when there were fewer than two
     */
    private Optional<ObjectId> squashUnpushed() throws IOException {
        Repository repo = repository;
        ObjectId localHead = repo.resolve(Constants.R_HEADS + branch);
        if (localHead == null) {
            return Optional.empty();
        }
        ObjectId remoteHead = repo.resolve(remoteBranch());
        List<RevCommit> ours = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(localHead));
            if (remoteHead != null) {
                walk.markUninteresting(walk.parseCommit(remoteHead));
            }
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.REVERSE, true);
            walk.forEach(ours::add);
        }
        if (ours.size() < 2) {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder("Provision and revert stacks (" + ours.size()
                + " changes that waited for the remote)\n");
        for (RevCommit commit : ours) {
            message.append("\n").append(commit.getFullMessage().strip()).append("\n");
        }
        ObjectId squashed;
        try (ObjectInserter inserter = newInserter()) {
            squashed = insertCommit(inserter, ours.get(ours.size() - 1).getTree(), remoteHead,
                    new PersonIdent(AUTHOR_NAME, AUTHOR_EMAIL), message.toString());
        }
        setBranch(squashed, localHead, "squash " + ours.size() + " unpushed commits");
        log.info("Squashed {} unpushed commits into {}", ours.size(), squashed.name());
        return Optional.of(squashed);
    }

    /** Writes a commit of {@code tree} on {@code parent} (null: a root commit), committed by OneClick. */
    private static ObjectId insertCommit(ObjectInserter inserter, ObjectId tree, ObjectId parent, PersonIdent author,
                                         String message) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        if (parent != null) {
            commit.setParentId(parent);
        }
        commit.setAuthor(author);
        commit.setCommitter(new PersonIdent(AUTHOR_NAME, AUTHOR_EMAIL));
        commit.setMessage(message);
        ObjectId commitId = inserter.insert(commit);
        inserter.flush();
        return commitId;
    }

    /** Moves the branch from {@code expected} (null: unborn) to {@code target}. */
    private void setBranch(ObjectId target, ObjectId expected, String reason) throws IOException {
        RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
        update.setNewObjectId(target);
        update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
        update.setRefLogMessage(reason, false);
        RefUpdate.Result result = update.forceUpdate();
        if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
                && result != RefUpdate.Result.FAST_FORWARD && result != RefUpdate.Result.NO_CHANGE) {
            throw new IOException("cannot move " + branch + " to " + target.name() + ": " + result);
        }
    }

    /**
     * Which of {@code paths} (stack directories) {@code commit} added or changed compared with its
     * parent. One walk over the two trees for all the paths, which skips equal subtrees by their IDs:
     * looking each path up on its own would read the whole {@code stacks} tree twice per stack.
     */
    private Set<String> changedIn(ObjectId commit, java.util.Collection<String> paths) throws IOException {
        Set<String> changed = new HashSet<>();
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            RevCommit revCommit = walk.parseCommit(commit);
            tree.addTree(revCommit.getTree());
            if (revCommit.getParentCount() == 0) {
                tree.addTree(new EmptyTreeIterator());
            } else {
                tree.addTree(walk.parseCommit(revCommit.getParent(0)).getTree());
            }
            tree.setRecursive(true);
            tree.setFilter(AndTreeFilter.create(PathFilterGroup.createFromStrings(paths), TreeFilter.ANY_DIFF));
            Set<String> onlyRemovals = new HashSet<>();
            while (tree.next()) {
                String path = tree.getPathString();
                String stack = path.substring(0, path.lastIndexOf('/'));
                if (!tree.getObjectId(0).equals(ObjectId.zeroId())) {
                    changed.add(stack);
                } else {
                    onlyRemovals.add(stack);
                }
            }
            // a stack that only lost a file changed too, if the commit still holds it
            for (String stack : onlyRemovals) {
                if (!changed.contains(stack) && stackTreeId(walk.getObjectReader(), revCommit.getTree(), stack) != null) {
                    changed.add(stack);
                }
            }
        }
        return changed;
    }

    /** The tree of a stack directory ({@code stacks/<id>}) in a commit's root tree; null when it has none. */
    private ObjectId stackTreeId(ObjectReader reader, RevTree root, String stackPath) throws IOException {
        ObjectId stacks = entryId(reader, root, STACKS_DIR);
        return stacks == null ? null
                : entryId(stacksTree(reader, stacks), stackPath.substring(STACKS_DIR.length() + 1));
    }

    private enum Pushed { YES, REMOTE_MOVED_ON, BRANCH_LOCKED }

    /**
     * Pushes the branch: YES when the remote has it, REMOTE_MOVED_ON when rejected as not a
     * fast-forward, BRANCH_LOCKED when the remote could not lock the branch for the update (JGit and
     * git report "failed to lock" or "cannot lock ref"): a passing condition, tried again.
     */
    private Pushed pushBranch(Git git) throws GitAPIException, IOException {
        if (git.getRepository().resolve(Constants.R_HEADS + branch) == null) {
            return Pushed.YES;
        }
        RefSpec spec = new RefSpec(Constants.R_HEADS + branch + ":" + Constants.R_HEADS + branch);
        Iterable<PushResult> results = networkRemote()
                ? git.push().setRemote(REMOTE).setRefSpecs(spec).setCredentialsProvider(credentials)
                        .setTimeout((int) timeout.toSeconds()).call()
                : List.of(pushToLocalRemote(git.getRepository(), spec));
        Pushed outcome = Pushed.YES;
        for (PushResult result : results) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                switch (update.getStatus()) {
                    case OK, UP_TO_DATE -> {
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> outcome = Pushed.REMOTE_MOVED_ON;
                    case REJECTED_OTHER_REASON -> {
                        if (!lockFailure(update.getMessage())) {
                            throw refused(update);
                        }
                        if (outcome == Pushed.YES) {
                            outcome = Pushed.BRANCH_LOCKED;
                        }
                    }
                    default -> throw refused(update);
                }
            }
        }
        return outcome;
    }

    /**
     * Pushes to a remote that is a path on this machine, as {@code git.push()} would, through
     * {@link LocalRemoteTransport} (large pipes between the two sides); errors as {@code git.push()}
     * reports them.
     */
    private PushResult pushToLocalRemote(Repository repo, RefSpec spec) throws GitAPIException, IOException {
        try (Transport transport = LocalRemoteTransport.open(repo, Path.of(remoteUrl))) {
            transport.applyConfig(new RemoteConfig(repo.getConfig(), REMOTE));
            transport.setTimeout((int) timeout.toSeconds());
            return transport.push(NullProgressMonitor.INSTANCE, transport.findRemoteRefUpdatesFor(List.of(spec)));
        } catch (org.eclipse.jgit.errors.TransportException e) {
            throw new TransportException(e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new InvalidRemoteException("invalid remote " + REMOTE + ": " + e.getMessage());
        }
    }

    private static boolean lockFailure(String message) {
        return message != null && (message.contains("failed to lock") || message.contains("cannot lock ref"));
    }

    private static StackPushException refused(RemoteRefUpdate update) {
        return new StackPushException("the remote refused " + update.getRemoteName() + ": " + update.getStatus()
                + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"), null);
    }

    private void fetch(Git git) throws GitAPIException {
        git.fetch().setRemote(REMOTE).setCredentialsProvider(credentials).setRemoveDeletedRefs(true)
                .setTimeout((int) timeout.toSeconds()).call();
    }

    /**
     * Puts our unpushed commits on top of the remote branch: the branch moves to the remote tip and
     * each of our commits, oldest first, is made again from its changes path by path (the same
     * message and author). A stack both sides changed ends as ours.
     */
    private void replayOntoRemote() throws IOException {
        Repository repo = repository;
        ObjectId remoteHead = repo.resolve(remoteBranch());
        ObjectId localHead = repo.resolve(Constants.R_HEADS + branch);
        if (remoteHead == null || localHead == null) {
            return;
        }
        List<RevCommit> ours = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(localHead));
            walk.markUninteresting(walk.parseCommit(remoteHead));
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.REVERSE, true);
            walk.forEach(ours::add);
        }
        setBranch(remoteHead, localHead, "replay onto " + remoteBranch());
        try (ObjectInserter inserter = newInserter()) {
            for (RevCommit commit : ours) {
                Optional<ObjectId> replayed = commit(inserter, changesOf(commit), commit.getFullMessage(),
                        commit.getAuthorIdent());
                log.info("Replayed {} as {}", commit.name(), replayed.map(ObjectId::name).orElse("(already there)"));
            }
        }
    }

    /** What a commit changed against its first parent, as path edits. */
    private List<DirCacheEditor.PathEdit> changesOf(RevCommit commit) throws IOException {
        List<DirCacheEditor.PathEdit> edits = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repository); TreeWalk diff = new TreeWalk(repository)) {
            RevCommit parsed = walk.parseCommit(commit);
            if (parsed.getParentCount() == 0) {
                diff.addTree(new EmptyTreeIterator());
            } else {
                diff.addTree(walk.parseCommit(parsed.getParent(0)).getTree());
            }
            diff.addTree(parsed.getTree());
            diff.setRecursive(true);
            diff.setFilter(TreeFilter.ANY_DIFF);
            while (diff.next()) {
                String path = diff.getPathString();
                if (FileMode.MISSING.equals(diff.getFileMode(1))) {
                    edits.add(new DirCacheEditor.DeletePath(path));
                } else {
                    edits.add(setFile(path, diff.getObjectId(1)));
                }
            }
        }
        return edits;
    }

    /**
     * Takes the stack out of the branch in a commit named like {@code git revert} would name it. The
     * stack's directory is removed rather than the whole commit reverted, because one commit may
     * have pushed several stacks and only this one failed.
     */
    private String removeStack(String stackPath, ObjectId commit) throws IOException {
        RevCommit target;
        try (RevWalk walk = new RevWalk(repository)) {
            target = walk.parseCommit(commit);
        }
        String message = "Revert " + stackPath + "\n\nIts build failed. It was pushed in commit " + target.name()
                + " (\"" + target.getShortMessage() + "\").\n";
        Map<String, ObjectId> removal = new LinkedHashMap<>();
        removal.put(stackPath.substring(STACKS_DIR.length() + 1), null);
        try (ObjectInserter inserter = newInserter()) {
            return commitStackTrees(inserter, removal, message)
                    .map(made -> made.id().name()).orElseThrow(() -> new IOException(stackPath + " was not on " + branch));
        }
    }

    private boolean holds(String path) throws IOException {
        ObjectId head = repository.resolve(Constants.R_HEADS + branch);
        if (head == null) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return stackTreeId(walk.getObjectReader(), walk.parseCommit(head).getTree(), path) != null;
        }
    }

    private Optional<String> lastCommitTouching(Git git, String path) throws GitAPIException, IOException {
        ObjectId head = git.getRepository().resolve(Constants.R_HEADS + branch);
        if (head == null) {
            return Optional.empty();
        }
        Iterator<RevCommit> commits = git.log().add(head).addPath(path).setMaxCount(1).call().iterator();
        return commits.hasNext() ? Optional.of(commits.next().name()) : Optional.empty();
    }

    private void ensureObject(Git git, ObjectId commit) throws IOException, GitAPIException {
        if (!git.getRepository().getObjectDatabase().has(commit)) {
            fetch(git);
        }
    }

    private String remoteBranch() {
        return Constants.R_REMOTES + REMOTE + "/" + branch;
    }

    /** The server answered, and said no to who we are: trying again will not help. */
    private static boolean authenticationFailed(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("not authorized") || message.contains("Authentication is required")
                    || message.contains("authentication not supported"))) {
                return true;
            }
        }
        return false;
    }

    private static DirCacheEditor.PathEdit setFile(String path, ObjectId blob) {
        return new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
            }
        };
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    // ---- checks and helpers ------------------------------------------------------------------------

    private static String checkId(String requestId) {
        if (!RequestIds.isValid(requestId)) {
            throw new IllegalArgumentException("not a request ID");
        }
        return requestId;
    }

    private static String checkFileName(String name) {
        if (name == null || !FILE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain stack file name: " + name);
        }
        return name;
    }

    private static ObjectId parseCommitId(String commitId) {
        if (commitId == null || !ObjectId.isId(commitId)) {
            throw new IllegalArgumentException("not a commit ID: " + commitId);
        }
        return ObjectId.fromString(commitId);
    }

    private static String resolveRemote(String remote, String branch) {
        if (remote == null || remote.isBlank()) {
            throw new IllegalArgumentException("oneclick.git.remote is not set");
        }
        if (URL.matcher(remote).matches()) {
            if (remote.matches("(?i)^[a-z][a-z0-9+.-]*://[^/@]*:[^/@]*@.*")) {
                throw new IllegalArgumentException("oneclick.git.remote must not carry credentials (user:secret@): "
                        + "set ONECLICK_GIT_USERNAME and ONECLICK_GIT_TOKEN instead");
            }
            return remote;
        }
        Path path = Path.of(remote).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            try {
                Files.createDirectories(path);
                Git.init().setBare(true).setInitialBranch(branch).setDirectory(path.toFile()).call().close();
                log.info("Created an empty bare repository {} as the infrastructure repository", path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the bare repository " + path, e);
            } catch (GitAPIException e) {
                throw new StackPushException("cannot create the bare repository " + path, e);
            }
        }
        return path.toString();
    }

    /** Removes user information (credentials) from URLs in a text meant for logs and errors. */
    static String redact(String text) {
        return text == null ? null : text.replaceAll("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]*@", "$1***@");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackPushException("interrupted while waiting to retry the push", e);
        }
    }
}
