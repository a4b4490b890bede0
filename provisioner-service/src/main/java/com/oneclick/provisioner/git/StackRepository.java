package com.oneclick.provisioner.git;

import com.oneclick.model.RequestIds;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.RebaseCommand;
import org.eclipse.jgit.api.RebaseResult;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The infrastructure repository through JGit: a working clone in {@code workDir} of the configured
 * remote (a path or an HTTPS URL), one directory per stack under {@code stacks/}.
 *
 * <p>Pushing: commit locally, push the branch, check every {@link RemoteRefUpdate.Status} (a
 * rejected push does not throw). A non-fast-forward rejection (someone else pushed) fetches,
 * rebases onto the remote branch and tries again; an unreachable remote is tried again with
 * exponential backoff. After {@code maxAttempts} the call throws {@link StackPushException} and
 * nothing is lost: the local commit stays and the next call pushes it.
 *
 * <p>An empty remote is fine: the branch is unborn until the first push creates it. HTTPS
 * credentials come from the configuration and are never logged.
 */
public final class StackRepository implements StackStore {

    public static final String STACKS_DIR = "stacks";
    private static final String REMOTE = "origin";
    private static final String AUTHOR_NAME = "OneClick";
    private static final String AUTHOR_EMAIL = "oneclick@localhost";
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*|^[^/\\\\]+@[^/\\\\]+:.*");
    private static final Pattern FILE_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");
    private static final Logger log = LoggerFactory.getLogger(StackRepository.class);

    private final Path workDir;
    private final String remoteUrl;
    private final String branch;
    private final CredentialsProvider credentials;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration timeout;

    /**
     * @param remote   a URL, or a path; a path that does not exist becomes a new empty bare repository
     * @param username HTTPS user name; may be blank (then {@code x-token-auth} is sent with a token)
     * @param token    HTTPS token or password; blank for none. Kept only inside the credentials provider.
     */
    public StackRepository(Path workDir, String remote, String branch, String username, String token,
                           int maxAttempts, Duration backoff, Duration timeout) {
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
        log.info("Infrastructure repository {} (branch {}), working clone {}", redact(remoteUrl), branch, this.workDir);
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
        try (Git git = open()) {
            return withRetries(what, git, () -> {
                commitStacks(git, byPath, message);
                Map<String, String> commits = new LinkedHashMap<>();
                for (String requestId : stacks.keySet()) {
                    String stackPath = stackPath(requestId);
                    commits.put(requestId, lastCommitTouching(git, stackPath)
                            .orElseThrow(() -> new IllegalStateException("no commit holds " + stackPath)));
                }
                return commits;
            });
        }
    }

    /** Commits the stack locally, without pushing; returns the commit that holds it. For tests and tools. */
    public synchronized String commitStack(String requestId, Map<String, byte[]> files, String message) {
        String stackPath = stackPath(requestId);
        files.keySet().forEach(StackRepository::checkFileName);
        try (Git git = open()) {
            prepare(git);
            commitStacks(git, Map.of(stackPath, files), message);
            return lastCommitTouching(git, stackPath).orElseThrow();
        } catch (GitAPIException | IOException e) {
            throw new StackPushException("cannot commit " + stackPath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void revertStack(String requestId, String commitId) {
        String stackPath = stackPath(requestId);
        ObjectId commit = parseCommitId(commitId);
        try (Git git = open()) {
            withRetries("revert " + stackPath, git, () -> {
                if (holds(git, stackPath)) {
                    ensureObject(git, commit);
                    String reverted = removeStack(git, stackPath, commit);
                    log.info("Reverted {} ({}) as {}", stackPath, commitId, reverted);
                }
                return null;
            });
        }
    }

    /** A stack file as it is in {@code commitId} (read from the commit, not the working tree). */
    public synchronized byte[] readStackFile(String commitId, String requestId, String fileName) {
        String path = stackPath(requestId) + "/" + checkFileName(fileName);
        ObjectId commit = parseCommitId(commitId);
        try (Git git = open()) {
            ensureObject(git, commit);
            Repository repo = git.getRepository();
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit revCommit = walk.parseCommit(commit);
                try (TreeWalk tree = TreeWalk.forPath(repo, path, revCommit.getTree())) {
                    if (tree == null) {
                        throw new StackPushException("commit " + commitId + " holds no " + path, null);
                    }
                    ObjectLoader loader = repo.open(tree.getObjectId(0));
                    return loader.getBytes();
                }
            }
        } catch (IOException | GitAPIException e) {
            throw new StackPushException("cannot read " + path + " from " + commitId + ": " + e.getMessage(), e);
        }
    }

    // ---- the retry loop --------------------------------------------------------------------------

    private interface Step<T> {
        T run() throws GitAPIException, IOException;
    }

    private <T> T withRetries(String what, Git git, Step<T> change) {
        Exception last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                prepare(git);
                T result = change.run();
                if (pushBranch(git)) {
                    // the result was computed after the last rebase, so it names commits as pushed
                    return result;
                }
                log.info("{}: the remote moved on (attempt {}/{}); fetching and rebasing", what, attempt, maxAttempts);
                fetch(git);
                rebase(git);
            } catch (TransportException | InvalidRemoteException e) {
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
                + (last == null ? " (the remote kept moving)" : ": " + redact(last.getMessage())), last);
    }

    // ---- steps -------------------------------------------------------------------------------------

    private Git open() {
        try {
            Git git;
            if (Files.isDirectory(workDir.resolve(Constants.DOT_GIT))) {
                git = Git.open(workDir.toFile());
            } else {
                Files.createDirectories(workDir);
                git = Git.init().setDirectory(workDir.toFile()).setInitialBranch(branch).call();
                log.info("Created the working clone {}", workDir);
            }
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", REMOTE, "url", remoteUrl);
            config.setString("remote", REMOTE, "fetch", "+refs/heads/*:refs/remotes/" + REMOTE + "/*");
            config.setString("user", null, "name", AUTHOR_NAME);
            config.setString("user", null, "email", AUTHOR_EMAIL);
            config.setBoolean("commit", null, "gpgsign", false);
            config.save();
            String head = git.getRepository().getFullBranch();
            if (!(Constants.R_HEADS + branch).equals(head)) {
                RefUpdate update = git.getRepository().updateRef(Constants.HEAD);
                update.disableRefLog();
                update.link(Constants.R_HEADS + branch);
            }
            return git;
        } catch (IOException | GitAPIException e) {
            throw new StackPushException("cannot open the working clone " + workDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Leaves the working tree exactly at the branch tip (files a crash left behind are dropped: they
     * are written again from the inventory), and adopts the remote branch while ours is unborn.
     */
    private void prepare(Git git) throws GitAPIException, IOException {
        Repository repo = git.getRepository();
        ObjectId head = repo.resolve(Constants.R_HEADS + branch);
        if (head != null) {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(head.name()).call();
        }
        git.clean().setCleanDirectories(true).setForce(true).setIgnore(false).call();
        if (head == null) {
            fetch(git);
            ObjectId remoteHead = repo.resolve(remoteBranch());
            if (remoteHead != null) {
                RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
                update.setNewObjectId(remoteHead);
                RefUpdate.Result result = update.forceUpdate();
                if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
                        && result != RefUpdate.Result.NO_CHANGE) {
                    throw new IOException("cannot start " + branch + " from the remote: " + result);
                }
                git.reset().setMode(ResetCommand.ResetType.HARD).setRef(remoteHead.name()).call();
            }
        }
    }

    /** Writes each stack's files and commits those that changed, all in one commit (none when nothing changed). */
    private void commitStacks(Git git, Map<String, Map<String, byte[]>> stacksByPath, String message)
            throws GitAPIException, IOException {
        boolean changed = false;
        for (Map.Entry<String, Map<String, byte[]>> stack : stacksByPath.entrySet()) {
            String stackPath = stack.getKey();
            Path dir = workDir.resolve(stackPath);
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> file : stack.getValue().entrySet()) {
                Files.write(dir.resolve(file.getKey()), file.getValue());
            }
            git.add().addFilepattern(stackPath).call();
            changed |= git.status().addPath(stackPath).call().hasUncommittedChanges();
        }
        if (changed) {
            PersonIdent author = new PersonIdent(AUTHOR_NAME, AUTHOR_EMAIL);
            RevCommit commit = git.commit().setMessage(message).setAuthor(author).setCommitter(author)
                    .setSign(false).call();
            log.info("Committed {} as {}", stacksByPath.size() == 1 ? stacksByPath.keySet().iterator().next()
                    : stacksByPath.size() + " stacks", commit.name());
        }
    }

    /** Pushes the branch; true when the remote has it, false when rejected as not a fast-forward. */
    private boolean pushBranch(Git git) throws GitAPIException, IOException {
        if (git.getRepository().resolve(Constants.R_HEADS + branch) == null) {
            return true;
        }
        RefSpec spec = new RefSpec(Constants.R_HEADS + branch + ":" + Constants.R_HEADS + branch);
        Iterable<PushResult> results = git.push().setRemote(REMOTE).setRefSpecs(spec)
                .setCredentialsProvider(credentials).setTimeout((int) timeout.toSeconds()).call();
        boolean rejected = false;
        for (PushResult result : results) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                switch (update.getStatus()) {
                    case OK, UP_TO_DATE -> {
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> rejected = true;
                    default -> throw new StackPushException("the remote refused " + update.getRemoteName() + ": "
                            + update.getStatus() + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"),
                            null);
                }
            }
        }
        return !rejected;
    }

    private void fetch(Git git) throws GitAPIException {
        git.fetch().setRemote(REMOTE).setCredentialsProvider(credentials).setRemoveDeletedRefs(true)
                .setTimeout((int) timeout.toSeconds()).call();
    }

    private void rebase(Git git) throws GitAPIException, IOException {
        if (git.getRepository().resolve(remoteBranch()) == null) {
            return;
        }
        RebaseResult result = git.rebase().setUpstream(remoteBranch()).call();
        if (!result.getStatus().isSuccessful()) {
            if (git.getRepository().getRepositoryState().isRebasing()) {
                git.rebase().setOperation(RebaseCommand.Operation.ABORT).call();
            }
            throw new StackPushException("cannot rebase onto " + remoteBranch() + ": " + result.getStatus(), null);
        }
    }

    /**
     * Takes the stack out of the branch in a commit named like {@code git revert} would name it. The
     * stack's directory is removed rather than the whole commit reverted, because one commit may
     * have pushed several stacks and only this one failed.
     */
    private String removeStack(Git git, String stackPath, ObjectId commit) throws GitAPIException, IOException {
        RevCommit target;
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            target = walk.parseCommit(commit);
        }
        git.rm().addFilepattern(stackPath).call();
        PersonIdent author = new PersonIdent(AUTHOR_NAME, AUTHOR_EMAIL);
        return git.commit().setAuthor(author).setCommitter(author).setSign(false)
                .setMessage("Revert " + stackPath + "\n\nIts build failed. It was pushed in commit " + target.name()
                        + " (\"" + target.getShortMessage() + "\").\n")
                .call().name();
    }

    private boolean holds(Git git, String path) throws IOException {
        Repository repo = git.getRepository();
        ObjectId head = repo.resolve(Constants.R_HEADS + branch);
        if (head == null) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = TreeWalk.forPath(repo, path,
                walk.parseCommit(head).getTree())) {
            return tree != null;
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
