package com.oneclick.provisioner.git;

import com.oneclick.model.RequestIds;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackRepositoryTest {

    private static final String FILE = "terraform.tfvars.json";

    @TempDir
    Path tmp;

    private Path bare;
    private StackRepository repository;

    @BeforeEach
    void emptyBareRemote() throws Exception {
        bare = tmp.resolve("remote.git");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
        repository = repositoryOn(bare.toString(), 3);
    }

    @Test
    void firstPushToAnEmptyRemoteCreatesTheBranchWithTheStack() throws Exception {
        // given
        String id = RequestIds.newId();

        // when
        String commitId = repository.pushStack(id, files("{\"name\":\"web-1\"}"), "Provision " + id);

        // then
        try (Git remote = Git.open(bare.toFile())) {
            Repository repo = remote.getRepository();
            assertThat(repo.resolve("refs/heads/main").name()).isEqualTo(commitId);
            assertThat(read(repo, commitId, "stacks/" + id + "/" + FILE)).isEqualTo("{\"name\":\"web-1\"}");
            RevCommit commit = commit(repo, commitId);
            assertThat(commit.getAuthorIdent().getName()).isEqualTo("OneClick");
            assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("oneclick@localhost");
            assertThat(commit.getFullMessage()).isEqualTo("Provision " + id);
        }
    }

    @Test
    void pushingTheSameStackAgainMakesNoNewCommit() throws Exception {
        // given
        String id = RequestIds.newId();
        String first = repository.pushStack(id, files("{}"), "Provision " + id);

        // when
        String second = repository.pushStack(id, files("{}"), "Provision " + id);

        // then
        assertThat(second).isEqualTo(first);
        assertThat(remoteLog()).hasSize(1);
    }

    @Test
    void objectsAreStoredAndPushedUncompressedToARepositoryOnThisMachineAndGitReadsThem() throws Exception {
        // given: a file zlib would shrink to a fraction
        String id = RequestIds.newId();
        String tfvars = "{\"name\":\"plain-1\",\"note\":\"" + "a".repeat(300) + "\"}";

        // when
        String commitId = repository.pushStack(id, files(tfvars), "Provision " + id);

        // then: its bytes are as they are in the local repository's loose object and in the pack the
        // remote received (zlib level 0: a stacks tree is mostly IDs, which zlib hardly shrinks)
        byte[] raw = tfvars.getBytes(StandardCharsets.UTF_8);
        assertThat(filesHolding(repository.workDir().resolve("objects"), raw)).isNotEmpty();
        assertThat(filesHolding(bare.resolve("objects/pack"), raw))
                .singleElement().satisfies(pack -> assertThat(pack.toString()).endsWith(".pack"));
        try (Git remote = Git.open(bare.toFile())) {
            assertThat(read(remote.getRepository(), commitId, "stacks/" + id + "/" + FILE)).isEqualTo(tfvars);
        }
    }

    @Test
    void aBranchTheRemoteHasLockedForAMomentIsPushedOnceTheLockIsGone() throws Exception {
        // given: the remote's branch is locked (another writer, or the server packing its refs)
        String first = RequestIds.newId();
        repository.pushStack(first, files("{}"), "Provision " + first);
        Path lock = bare.resolve("refs/heads/main.lock");
        Files.writeString(lock, "held by another writer");
        StackRepository patient = repositoryOn(bare.toString(), 8);
        String second = RequestIds.newId();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(150);
                Files.delete(lock);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // when
        release.start();
        String commitId = patient.pushStack(second, files("{\"n\":2}"), "Provision " + second);
        release.join();

        // then: tried again until the lock was gone, and pushed once
        try (Git remote = Git.open(bare.toFile())) {
            assertThat(remote.getRepository().resolve("refs/heads/main").name()).isEqualTo(commitId);
        }
        assertThat(remoteLog()).hasSize(2);
    }

    @Test
    void aBranchTheRemoteKeepsLockedFailsThePushNamingTheLock() throws Exception {
        // given
        String first = RequestIds.newId();
        repository.pushStack(first, files("{}"), "Provision " + first);
        Files.writeString(bare.resolve("refs/heads/main.lock"), "held for good");
        String second = RequestIds.newId();

        // when / then: three attempts (this repository's limit), then a failure the caller retries later
        assertThatThrownBy(() -> repository.pushStack(second, files("{}"), "Provision " + second))
                .isInstanceOf(StackPushException.class)
                .hasMessageContaining("failed after 3 attempts")
                .hasMessageContaining("locked");
        assertThat(remoteLog()).hasSize(1);
    }

    @Test
    void aPushRejectedBecauseAnotherClonePushedFirstIsRebasedAndRetried() throws Exception {
        // given: our clone pushed stack A, then another clone pushed stack B behind our back
        String a = RequestIds.newId();
        String b = RequestIds.newId();
        String c = RequestIds.newId();
        repository.pushStack(a, files("{\"stack\":\"a\"}"), "Provision " + a);
        String otherCommit;
        try (Git other = Git.cloneRepository().setURI(bare.toString()).setDirectory(tmp.resolve("other").toFile())
                .setBranch("main").call()) {
            Path stack = tmp.resolve("other/stacks/" + b);
            Files.createDirectories(stack);
            Files.writeString(stack.resolve(FILE), "{\"stack\":\"b\"}");
            other.add().addFilepattern("stacks").call();
            otherCommit = other.commit().setMessage("Provision " + b).setSign(false).call().name();
            other.push().call();
        }

        // when: our (now stale) clone pushes stack C
        String commitId = repository.pushStack(c, files("{\"stack\":\"c\"}"), "Provision " + c);

        // then: C was rebased onto B, and the remote holds all three stacks
        try (Git remote = Git.open(bare.toFile())) {
            Repository repo = remote.getRepository();
            assertThat(repo.resolve("refs/heads/main").name()).isEqualTo(commitId);
            assertThat(commit(repo, commitId).getParent(0).name()).isEqualTo(otherCommit);
            assertThat(read(repo, commitId, "stacks/" + a + "/" + FILE)).isEqualTo("{\"stack\":\"a\"}");
            assertThat(read(repo, commitId, "stacks/" + b + "/" + FILE)).isEqualTo("{\"stack\":\"b\"}");
            assertThat(read(repo, commitId, "stacks/" + c + "/" + FILE)).isEqualTo("{\"stack\":\"c\"}");
        }
        assertThat(remoteLog()).hasSize(3);
    }

    @Test
    void revertTakesTheStackOutOfTheRemoteTipAndKeepsTheOthers() throws Exception {
        // given
        String failed = RequestIds.newId();
        String kept = RequestIds.newId();
        String failedCommit = repository.pushStack(failed, files("{\"stack\":\"failed\"}"), "Provision " + failed);
        repository.pushStack(kept, files("{\"stack\":\"kept\"}"), "Provision " + kept);

        // when
        repository.revertStack(failed, failedCommit);
        repository.revertStack(failed, failedCommit);

        // then
        try (Git remote = Git.open(bare.toFile())) {
            Repository repo = remote.getRepository();
            String tip = repo.resolve("refs/heads/main").name();
            assertThat(read(repo, tip, "stacks/" + failed + "/" + FILE)).isNull();
            assertThat(read(repo, tip, "stacks/" + kept + "/" + FILE)).isEqualTo("{\"stack\":\"kept\"}");
            assertThat(commit(repo, tip).getShortMessage()).isEqualTo("Revert stacks/" + failed);
        }
        assertThat(remoteLog()).hasSize(3);
    }

    @Test
    void anUnreachableRemoteIsRetriedThenFailsAndTheNextCallPushesTheWaitingCommit() throws Exception {
        // given: a clone that has pushed before, whose remote then goes down (nobody listens on the port)
        Path work = tmp.resolve("work-shared");
        String earlier = RequestIds.newId();
        clone(work, bare.toString()).pushStack(earlier, files("{}"), "Provision " + earlier);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        StackRepository down = new StackRepository(work, "http://127.0.0.1:" + port + "/infra.git", "main",
                "oneclick", "s3cret-token", 3, Duration.ofMillis(10), Duration.ofSeconds(5));
        String id = RequestIds.newId();

        // when: the push fails after its attempts, leaving the commit in the clone; then the remote is back
        assertThatThrownBy(() -> down.pushStack(id, files("{}"), "Provision " + id))
                .isInstanceOf(StackPushException.class)
                .hasMessageContaining("after 3 attempts")
                .hasMessageNotContaining("s3cret-token");
        String waiting;
        try (Git local = Git.open(work.toFile())) {
            waiting = local.getRepository().resolve("refs/heads/main").name();
        }
        String commitId = clone(work, bare.toString()).pushStack(id, files("{}"), "Provision " + id);

        // then: the waiting commit was pushed as it was, no second one made
        assertThat(commitId).isEqualTo(waiting);
        try (Git remote = Git.open(bare.toFile())) {
            assertThat(remote.getRepository().resolve("refs/heads/main").name()).isEqualTo(commitId);
            assertThat(read(remote.getRepository(), commitId, "stacks/" + id + "/" + FILE)).isEqualTo("{}");
        }
        assertThat(remoteLog()).hasSize(2);
    }

    @Test
    void aRemotePathThatIsGoneIsRetriedThenFailsNamingItAndTheNextCallPushesOnceItIsBack() throws Exception {
        // given: the bare remote on this machine is moved away after a first push
        String earlier = RequestIds.newId();
        repository.pushStack(earlier, files("{}"), "Provision " + earlier);
        Path away = tmp.resolve("away.git");
        Files.move(bare, away);
        String id = RequestIds.newId();

        // when / then: the attempts fail as for an unreachable remote, naming the path
        assertThatThrownBy(() -> repository.pushStack(id, files("{}"), "Provision " + id))
                .isInstanceOf(StackPushException.class)
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining(bare.toString())
                .hasMessageContaining("not found");

        // and when the remote is back, the waiting commit goes out
        Files.move(away, bare);
        String commitId = repository.pushStack(id, files("{}"), "Provision " + id);
        try (Git remote = Git.open(bare.toFile())) {
            assertThat(remote.getRepository().resolve("refs/heads/main").name()).isEqualTo(commitId);
            assertThat(read(remote.getRepository(), commitId, "stacks/" + id + "/" + FILE)).isEqualTo("{}");
        }
        assertThat(remoteLog()).hasSize(2);
    }

    @Test
    void commitsLeftByFailedPushesGoOutAsOneCommitHoldingEveryStack() throws Exception {
        // given: a clone that pushed once, then made two commits while its remote was down
        Path work = tmp.resolve("work-squash");
        String earlier = RequestIds.newId();
        clone(work, bare.toString()).pushStack(earlier, files("{}"), "Provision " + earlier);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        StackRepository down = new StackRepository(work, "http://127.0.0.1:" + port + "/infra.git", "main", null,
                null, 1, Duration.ofMillis(10), Duration.ofSeconds(5));
        String a = RequestIds.newId();
        String b = RequestIds.newId();
        assertThatThrownBy(() -> down.pushStack(a, files("{\"stack\":\"a\"}"), "Provision " + a))
                .isInstanceOf(StackPushException.class);
        assertThatThrownBy(() -> down.pushStack(b, files("{\"stack\":\"b\"}"), "Provision " + b))
                .isInstanceOf(StackPushException.class);
        down.close();

        // when: the remote is back and the next stack is pushed
        String c = RequestIds.newId();
        StackRepository back = clone(work, bare.toString());
        Map<String, String> commits = back.pushStacks(Map.of(
                a, files("{\"stack\":\"a\"}"), b, files("{\"stack\":\"b\"}"), c, files("{\"stack\":\"c\"}")),
                "Provision 3 stacks");

        // then: one new commit on the remote holds all three, and every request is told that commit
        List<RevCommit> log = remoteLog();
        assertThat(log).hasSize(2);
        String head = log.get(0).name();
        assertThat(commits).containsOnlyKeys(a, b, c).allSatisfy((id, commit) -> assertThat(commit).isEqualTo(head));
        assertThat(log.get(0).getFullMessage()).contains("Provision " + a).contains("Provision " + b)
                .contains("Provision 3 stacks");
        try (Git remote = Git.open(bare.toFile())) {
            for (String id : List.of(a, b, c)) {
                assertThat(read(remote.getRepository(), head, "stacks/" + id + "/" + FILE)).isNotNull();
            }
        }
    }

    @Test
    void aRemoteUrlCarryingCredentialsIsRefused() {
        assertThatThrownBy(() -> new StackRepository(tmp.resolve("w"), "https://svc:s3cret@bitbucket.example/x.git",
                "main", null, null, 1, Duration.ofMillis(10), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ONECLICK_GIT_TOKEN")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void revertingTheVeryFirstStackEmptiesTheTip() throws Exception {
        // given: the stack is the remote's root commit
        String id = RequestIds.newId();
        String commitId = repository.pushStack(id, files("{}"), "Provision " + id);

        // when
        repository.revertStack(id, commitId);

        // then
        try (Git remote = Git.open(bare.toFile())) {
            Repository repo = remote.getRepository();
            String tip = repo.resolve("refs/heads/main").name();
            assertThat(read(repo, tip, "stacks/" + id + "/" + FILE)).isNull();
            assertThat(commit(repo, tip).getShortMessage()).isEqualTo("Revert stacks/" + id);
        }
    }

    @Test
    void aStackFileIsReadFromTheGivenCommitNotTheBranchTip() throws Exception {
        // given
        String id = RequestIds.newId();
        String first = repository.pushStack(id, files("{\"v\":1}"), "Provision " + id);
        String second = repository.pushStack(id, files("{\"v\":2}"), "Update " + id);

        // when
        byte[] content = repository.readStackFile(first, id, FILE);

        // then
        assertThat(second).isNotEqualTo(first);
        assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
    }

    @Test
    void stackFilesAreReadRightWhicheverCommitWasReadOrWrittenLast() throws Exception {
        // given: three stacks over two commits, and one more commit that changes one of them
        String a = RequestIds.newId();
        String b = RequestIds.newId();
        String c = RequestIds.newId();
        Map<String, String> firstCommits = repository.pushStacks(Map.of(a, files("{\"a\":1}"), b, files("{\"b\":1}")),
                "Provision 2 stacks");
        String second = repository.pushStack(c, files("{\"c\":1}"), "Provision " + c);
        String third = repository.pushStack(a, files("{\"a\":2}"), "Update " + a);

        // when / then: newest, oldest, newest again, and names that are not there
        assertThat(text(repository.readStackFile(third, a, FILE))).isEqualTo("{\"a\":2}");
        assertThat(text(repository.readStackFile(firstCommits.get(a), a, FILE))).isEqualTo("{\"a\":1}");
        assertThat(text(repository.readStackFile(firstCommits.get(b), b, FILE))).isEqualTo("{\"b\":1}");
        assertThat(text(repository.readStackFile(second, c, FILE))).isEqualTo("{\"c\":1}");
        assertThat(text(repository.readStackFile(third, b, FILE))).isEqualTo("{\"b\":1}");
        assertThatThrownBy(() -> repository.readStackFile(firstCommits.get(a), c, FILE))
                .isInstanceOf(StackPushException.class).hasMessageContaining("holds no stacks/" + c);
        assertThatThrownBy(() -> repository.readStackFile(third, a, "missing.json"))
                .isInstanceOf(StackPushException.class).hasMessageContaining("holds no stacks/" + a + "/missing.json");
    }

    @Test
    void aStackIsReadAtACommitThisRepositoryPushedWithoutReadingThatCommitsStacksTree() throws Exception {
        // given: two pushes, so the first commit's stacks tree is no longer the one kept in memory
        String a = RequestIds.newId();
        String b = RequestIds.newId();
        String first = repository.pushStack(a, files("{\"a\":1}"), "Provision " + a);
        repository.pushStack(b, files("{\"b\":1}"), "Provision " + b);
        // and that tree's object is gone from the local repository
        Path looseTree;
        try (Repository local = new FileRepositoryBuilder().setGitDir(repository.workDir().toFile()).build();
             RevWalk walk = new RevWalk(local);
             TreeWalk stacks = TreeWalk.forPath(local, "stacks", walk.parseCommit(local.resolve(first)).getTree())) {
            String id = stacks.getObjectId(0).name();
            looseTree = repository.workDir().resolve("objects").resolve(id.substring(0, 2)).resolve(id.substring(2));
        }
        Files.delete(looseTree);

        // when
        byte[] content = repository.readStackFile(first, a, FILE);

        // then the stack is read all the same; a repository that did not make the commit needs the tree
        assertThat(text(content)).isEqualTo("{\"a\":1}");
        try (StackRepository other = repositoryOn(bare.toString(), 1)) {
            assertThatThrownBy(() -> other.readStackFile(first, a, FILE)).isInstanceOf(StackPushException.class);
        }
    }

    private static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Test
    void stacksPushedTogetherGoOutInOneCommitAndRevertingOneKeepsTheOthers() throws Exception {
        // given
        String a = RequestIds.newId();
        String b = RequestIds.newId();
        String unchanged = RequestIds.newId();
        String unchangedCommit = repository.pushStack(unchanged, files("{\"stack\":\"same\"}"), "Provision one");
        String edited = RequestIds.newId();
        repository.pushStack(edited, files("{\"stack\":\"before\"}"), "Provision another");
        Map<String, Map<String, byte[]>> batch = new java.util.LinkedHashMap<>();
        batch.put(a, files("{\"stack\":\"a\"}"));
        batch.put(b, files("{\"stack\":\"b\"}"));
        batch.put(unchanged, files("{\"stack\":\"same\"}"));
        batch.put(edited, files("{\"stack\":\"after\"}"));

        // when
        Map<String, String> commits = repository.pushStacks(batch, "Provision 4 stacks");
        repository.revertStack(a, commits.get(a));

        // then
        assertThat(commits.get(a)).isEqualTo(commits.get(b)).isEqualTo(commits.get(edited))
                .isNotEqualTo(unchangedCommit);
        assertThat(commits.get(unchanged)).as("an unchanged stack keeps the commit that last changed it")
                .isEqualTo(unchangedCommit);
        assertThat(remoteLog()).hasSize(4);
        try (Git remote = Git.open(bare.toFile())) {
            Repository repo = remote.getRepository();
            String tip = repo.resolve("refs/heads/main").name();
            assertThat(read(repo, tip, "stacks/" + edited + "/" + FILE)).isEqualTo("{\"stack\":\"after\"}");
            assertThat(read(repo, tip, "stacks/" + a + "/" + FILE)).isNull();
            assertThat(read(repo, tip, "stacks/" + b + "/" + FILE)).isEqualTo("{\"stack\":\"b\"}");
            assertThat(read(repo, tip, "stacks/" + unchanged + "/" + FILE)).isEqualTo("{\"stack\":\"same\"}");
        }
        assertThat(repository.workDir().resolve("stacks")).as("no working tree is checked out").doesNotExist();
    }

    @Test
    void stacksAddedBeforeBetweenAndAfterTheOthersKeepTheStacksTreeInGitsOrder() throws Exception {
        // given stacks pushed in batches whose IDs sort before, between and after the ones already there
        List<String> ids = new ArrayList<>();
        for (String prefix : List.of("8", "0", "f", "80", "4", "c", "0")) {
            Map<String, Map<String, byte[]>> batch = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                String id = prefix + RequestIds.newId().substring(prefix.length());
                ids.add(id);
                batch.put(id, files("{\"stack\":\"" + id + "\"}"));
            }
            repository.pushStacks(batch, "Provision 3 stacks");
        }
        String removed = ids.get(4);
        repository.revertStack(removed, latestCommitOf(removed));

        // then the remote's stacks tree is a well-formed git tree (sorted, no duplicates) holding every stack
        try (Git remote = Git.open(bare.toFile()); RevWalk walk = new RevWalk(remote.getRepository())) {
            Repository repo = remote.getRepository();
            RevCommit tip = walk.parseCommit(repo.resolve("refs/heads/main"));
            try (TreeWalk stacks = TreeWalk.forPath(repo, "stacks", tip.getTree())) {
                byte[] raw = repo.open(stacks.getObjectId(0), Constants.OBJ_TREE).getBytes();
                new org.eclipse.jgit.lib.ObjectChecker().checkTree(raw);
            }
            for (String id : ids) {
                assertThat(read(repo, tip.name(), "stacks/" + id + "/" + FILE)).as(id)
                        .isEqualTo(id.equals(removed) ? null : "{\"stack\":\"" + id + "\"}");
            }
        }
    }

    private String latestCommitOf(String id) throws Exception {
        try (Git remote = Git.open(bare.toFile())) {
            return remote.log().add(remote.getRepository().resolve("refs/heads/main")).addPath("stacks/" + id)
                    .setMaxCount(1).call().iterator().next().name();
        }
    }

    @Test
    void aRequestIdThatIsNoUuidNeverReachesTheFileSystem() {
        // when / then
        assertThatThrownBy(() -> repository.pushStack("../../escape", files("{}"), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> repository.pushStack(RequestIds.newId(), Map.of("../x", new byte[0]), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tmp.resolve("escape")).doesNotExist();
        assertThat(tmp.resolve("work/stacks")).doesNotExist();
    }

    private StackRepository repositoryOn(String remote, int attempts) {
        return new StackRepository(tmp.resolve("work-" + Math.abs(remote.hashCode())), remote, "main", null, null,
                attempts, Duration.ofMillis(10), Duration.ofSeconds(30));
    }

    private static StackRepository clone(Path work, String remote) {
        return new StackRepository(work, remote, "main", null, null, 3, Duration.ofMillis(10), Duration.ofSeconds(5));
    }

    private static Map<String, byte[]> files(String tfvars) {
        return Map.of(FILE, tfvars.getBytes(StandardCharsets.UTF_8));
    }

    private List<RevCommit> remoteLog() throws Exception {
        try (Git remote = Git.open(bare.toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            remote.log().add(remote.getRepository().resolve("refs/heads/main")).call().forEach(commits::add);
            return commits;
        }
    }

    private static RevCommit commit(Repository repo, String id) throws Exception {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(ObjectId.fromString(id));
        }
    }

    /** The files under {@code dir} whose bytes contain {@code wanted} as they are. */
    static List<Path> filesHolding(Path dir, byte[] wanted) throws Exception {
        try (var paths = Files.walk(dir)) {
            List<Path> holding = new ArrayList<>();
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + wanted.length <= bytes.length; i++) {
                    if (java.util.Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
                        holding.add(file);
                        break;
                    }
                }
            }
            return holding;
        }
    }

    /** The file at {@code path} in {@code commitId}, or null when the commit has none. */
    static String read(Repository repo, String commitId, String path) throws Exception {
        try (RevWalk walk = new RevWalk(repo);
             TreeWalk tree = TreeWalk.forPath(repo, path, walk.parseCommit(ObjectId.fromString(commitId)).getTree())) {
            return tree == null ? null
                    : new String(repo.open(tree.getObjectId(0), Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
        }
    }
}
