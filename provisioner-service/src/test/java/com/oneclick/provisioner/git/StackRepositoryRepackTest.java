package com.oneclick.provisioner.git;

import com.oneclick.model.RequestIds;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local repository is repacked in the background once enough has been written loose. */
class StackRepositoryRepackTest {

    private static final String FILE = "terraform.tfvars.json";
    private static final long NO_BYTE_LIMIT = Long.MAX_VALUE;

    @TempDir
    Path tmp;

    private Path bare;
    private Path work;

    @BeforeEach
    void emptyBareRemote() throws Exception {
        bare = tmp.resolve("remote.git");
        work = tmp.resolve("work");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    }

    @Test
    void onceEnoughObjectsAreLooseTheyGoIntoOnePackWithoutABitmapAndEveryStackReadsBack() throws Exception {
        // given: a repack after 20 loose objects; a single-stack commit writes 5 (blob, stack tree,
        // stacks tree, root tree, commit)
        Map<String, String> pushed = new LinkedHashMap<>();
        try (StackRepository repository = repository(new StackRepository.Repack(20, NO_BYTE_LIMIT))) {
            // when: six pushes, each waiting for a repack it may have started (so which objects a
            // repack finds is certain)
            for (int i = 0; i < 6; i++) {
                String id = RequestIds.newId();
                pushed.put(id, repository.pushStack(id, files("{\"name\":\"web-" + i + "\"}"), "Provision " + id));
                assertThat(repository.awaitRepack(Duration.ofSeconds(30))).isTrue();
            }

            // then: the fourth push started a repack, whose pack the fifth took over; what the fifth
            // and sixth wrote is loose
            GC.RepoStatistics statistics = statistics(work);
            assertThat(statistics.numberOfPackFiles).isEqualTo(1);
            assertThat(statistics.numberOfPackedObjects).isGreaterThanOrEqualTo(20);
            assertThat(statistics.numberOfLooseObjects).isEqualTo(10);
            assertThat(statistics.numberOfBitmaps).isZero();
            try (var files = Files.list(work.resolve("objects/pack"))) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .noneMatch(name -> name.endsWith(".bitmap")).hasSize(2);
            }
            int i = 0;
            for (Map.Entry<String, String> stack : pushed.entrySet()) {
                assertThat(new String(repository.readStackFile(stack.getValue(), stack.getKey(), FILE),
                        StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"web-" + i++ + "\"}");
            }
        }
        assertEveryObjectReachableIsThere(work);
        assertRemoteHolds(pushed);
    }

    @Test
    void aLargeObjectAloneCanReachTheByteLimit() throws Exception {
        // given
        try (StackRepository repository = repository(new StackRepository.Repack(Long.MAX_VALUE, 4096))) {
            String id = RequestIds.newId();

            // when
            String tfvars = "{\"note\":\"" + "x".repeat(5000) + "\"}";
            String commit = repository.pushStack(id, files(tfvars), "Provision");
            assertThat(repository.awaitRepack(Duration.ofSeconds(30))).isTrue();

            // then: the next call (here a read) lets the new pack take over from the loose objects
            assertThat(new String(repository.readStackFile(commit, id, FILE), StandardCharsets.UTF_8)).isEqualTo(tfvars);
            assertThat(statistics(work).numberOfLooseObjects).isZero();
            assertThat(statistics(work).numberOfPackFiles).isEqualTo(1);
            assertRemoteHolds(Map.of(id, commit));
        }
    }

    @Test
    void objectsLeftLooseByAnEarlierRunCountTowardTheFirstRepack() throws Exception {
        // given: 25 loose objects written under a policy that never repacks
        Map<String, String> pushed = new LinkedHashMap<>();
        try (StackRepository repository = repository(new StackRepository.Repack(Long.MAX_VALUE, NO_BYTE_LIMIT))) {
            for (int i = 0; i < 5; i++) {
                String id = RequestIds.newId();
                pushed.put(id, repository.pushStack(id, files("{\"name\":\"old-" + i + "\"}"), "Provision " + id));
            }
        }
        assertThat(statistics(work).numberOfLooseObjects).isEqualTo(25);

        // when: opened again with a repack after 20, and one more stack pushed (5 objects); closing
        // lets the repack's pack take over
        try (StackRepository repository = repository(new StackRepository.Repack(20, NO_BYTE_LIMIT))) {
            String id = RequestIds.newId();
            pushed.put(id, repository.pushStack(id, files("{\"name\":\"new\"}"), "Provision " + id));
            assertThat(repository.awaitRepack(Duration.ofSeconds(30))).isTrue();
        }

        // then
        GC.RepoStatistics statistics = statistics(work);
        assertThat(statistics.numberOfLooseObjects).isZero();
        assertThat(statistics.numberOfPackFiles).isEqualTo(1);
        assertEveryObjectReachableIsThere(work);
        assertRemoteHolds(pushed);
    }

    @Test
    void pushesGoOnWhileTheRepositoryIsRepacked() throws Exception {
        // given: a repack due after every push, so each one runs while the next pushes go on
        Map<String, String> pushed = new LinkedHashMap<>();
        try (StackRepository repository = repository(new StackRepository.Repack(1, NO_BYTE_LIMIT))) {
            // when
            for (int i = 0; i < 40; i++) {
                Map<String, Map<String, byte[]>> batch = new LinkedHashMap<>();
                for (int j = 0; j < 3; j++) {
                    batch.put(RequestIds.newId(), files("{\"name\":\"web-" + i + "-" + j + "\"}"));
                }
                pushed.putAll(repository.pushStacks(batch, "Provision batch " + i));
            }
            assertThat(repository.awaitRepack(Duration.ofSeconds(30))).isTrue();

            // then: nothing was lost on either side, and every stack reads back from its commit
            for (Map.Entry<String, String> stack : pushed.entrySet()) {
                assertThat(repository.readStackFile(stack.getValue(), stack.getKey(), FILE)).isNotEmpty();
            }
        }
        assertThat(pushed).hasSize(120);
        assertThat(statistics(work).numberOfPackFiles).isEqualTo(1);
        assertEveryObjectReachableIsThere(work);
        assertRemoteHolds(pushed);
    }

    @Test
    void closingWhileARepackRunsLeavesACompleteRepositoryAndNoTemporaryFiles() throws Exception {
        // given: 400 stacks loose, then a policy that repacks them after the next push
        Map<String, String> pushed = new LinkedHashMap<>();
        try (StackRepository repository = repository(new StackRepository.Repack(Long.MAX_VALUE, NO_BYTE_LIMIT))) {
            for (int i = 0; i < 4; i++) {
                Map<String, Map<String, byte[]>> batch = new LinkedHashMap<>();
                for (int j = 0; j < 100; j++) {
                    batch.put(RequestIds.newId(), files("{\"name\":\"web-" + i + "-" + j + "\"}"));
                }
                pushed.putAll(repository.pushStacks(batch, "Provision batch " + i));
            }
        }
        StackRepository repository = repository(new StackRepository.Repack(1, NO_BYTE_LIMIT));
        String id = RequestIds.newId();
        pushed.put(id, repository.pushStack(id, files("{}"), "Provision " + id));

        // when: closed at once (at this size the repack often finishes first: then its pack takes
        // over; at 100,000 stacks a repack is stopped and close returns within seconds)
        repository.close();

        // then: whether the repack was stopped or had finished, nothing is missing or left behind
        assertThat(repository.awaitRepack(Duration.ZERO)).isTrue();
        try (var files = Files.list(work.resolve("objects/pack"))) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains("_tmp"));
        }
        assertEveryObjectReachableIsThere(work);
        assertRemoteHolds(pushed);
        // and the repository opens again
        String next = RequestIds.newId();
        pushed.put(next, repository.pushStack(next, files("{}"), "Provision " + next));
        repository.close();
        assertRemoteHolds(pushed);
    }

    @Test
    void aThresholdBelowOneIsRefusedNamingTheSetting() {
        // when / then
        assertThatThrownBy(() -> new StackRepository.Repack(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oneclick.git.repack");
        assertThatThrownBy(() -> new StackRepository.Repack(1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after-loose-size");
    }

    private StackRepository repository(StackRepository.Repack repack) {
        return new StackRepository(work, bare.toString(), "main", null, null, 3, Duration.ofMillis(10),
                Duration.ofSeconds(30), repack);
    }

    private static Map<String, byte[]> files(String tfvars) {
        return Map.of(FILE, tfvars.getBytes(StandardCharsets.UTF_8));
    }

    private static GC.RepoStatistics statistics(Path gitDir) throws Exception {
        try (FileRepository repo = (FileRepository) new FileRepositoryBuilder().setGitDir(gitDir.toFile())
                .setMustExist(true).build()) {
            return new GC(repo).getStatistics();
        }
    }

    /** Every object the refs reach opens (a repack that lost one would fail here). */
    private static void assertEveryObjectReachableIsThere(Path gitDir) throws Exception {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
             ObjectReader reader = repo.newObjectReader();
             ObjectWalk walk = new ObjectWalk(reader)) {
            for (var ref : repo.getRefDatabase().getRefs()) {
                walk.markStart(walk.parseAny(ref.getObjectId()));
            }
            int objects = 0;
            while (walk.next() != null) {
                objects++;
            }
            RevObject object;
            while ((object = walk.nextObject()) != null) {
                assertThat(reader.open(object).getSize()).isNotNegative();
                objects++;
            }
            assertThat(objects).isPositive();
        }
    }

    private void assertRemoteHolds(Map<String, String> stacks) throws Exception {
        try (Repository remote = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(remote)) {
            ObjectId tip = remote.resolve(Constants.R_HEADS + "main");
            for (Map.Entry<String, String> stack : stacks.entrySet()) {
                assertThat(StackRepositoryTest.read(remote, tip.name(), "stacks/" + stack.getKey() + "/" + FILE))
                        .as(stack.getKey()).isNotNull();
                ObjectId commit = ObjectId.fromString(stack.getValue());
                assertThat(remote.getObjectDatabase().has(commit)).isTrue();
                assertThat(walk.isMergedInto(walk.parseCommit(commit), walk.parseCommit(tip))).isTrue();
            }
        }
    }
}
