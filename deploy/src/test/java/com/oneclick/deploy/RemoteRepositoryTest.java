package com.oneclick.deploy;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RemoteRepositoryTest {

    @TempDir
    Path tmp;

    @Test
    void newRemoteIsBareOnMainAndDropsThePacksItsGcReplaced() throws Exception {
        Path remote = tmp.resolve("remote.git");

        assertThat(RemoteRepository.ensureBare(remote)).isTrue();

        try (Repository repository = open(remote)) {
            assertThat(repository.isBare()).isTrue();
            assertThat(repository.getFullBranch()).isEqualTo("refs/heads/main");
            assertThat(repository.getConfig().getString("gc", null, "prunePackExpire")).isEqualTo("now");
        }
        assertThat(RemoteRepository.ensureBare(remote)).isFalse();
    }

    @Test
    void existingRemoteGetsTheSettingUnlessItHasItsOwn() throws Exception {
        Path plain = tmp.resolve("plain.git");
        Git.init().setBare(true).setDirectory(plain.toFile()).call().close();
        Path own = tmp.resolve("own.git");
        Git.init().setBare(true).setDirectory(own.toFile()).call().close();
        try (Repository repository = open(own)) {
            StoredConfig config = repository.getConfig();
            config.setString("gc", null, "prunePackExpire", "2.weeks.ago");
            config.save();
        }

        assertThat(RemoteRepository.ensureBare(plain)).isFalse();
        assertThat(RemoteRepository.ensureBare(own)).isFalse();

        try (Repository repository = open(plain)) {
            assertThat(repository.getConfig().getString("gc", null, "prunePackExpire")).isEqualTo("now");
        }
        try (Repository repository = open(own)) {
            assertThat(repository.getConfig().getString("gc", null, "prunePackExpire")).isEqualTo("2.weeks.ago");
        }
    }

    @Test
    void manyPushesDoNotPileUpPacks() throws Exception {
        // given: a remote made by the launcher and a clone that pushes one commit at a time
        Path remote = tmp.resolve("remote.git");
        RemoteRepository.ensureBare(remote);
        Path work = tmp.resolve("work");
        int pushes = 150;

        try (Git git = Git.cloneRepository().setURI(remote.toUri().toString()).setDirectory(work.toFile()).call()) {
            for (int i = 0; i < pushes; i++) {
                Files.writeString(work.resolve("stack-" + i + ".json"), "{\"n\":" + i + "}", StandardCharsets.UTF_8);
                git.add().addFilepattern(".").call();
                git.commit().setMessage("push " + i).setSign(false).call();
                git.push().setRemote("origin").setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
            }
        }

        // then: every push arrived as a pack of its own, but the automatic gc folds them together and the
        // packs it replaced are gone (with the one-hour default, about 200 are there after 150 pushes)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(packs(remote)).isLessThanOrEqualTo(60));
        try (Git clone = Git.cloneRepository().setURI(remote.toUri().toString()).setDirectory(tmp.resolve("check").toFile())
                .call()) {
            assertThat(clone.log().call()).hasSize(pushes);
        }
    }

    @Test
    void directoryThatIsNoRepositoryIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> RemoteRepository.ensureBare(dir))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("is not a git repository");
    }

    private static long packs(Path remote) throws Exception {
        try (Stream<Path> files = Files.list(remote.resolve("objects/pack"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pack")).count();
        }
    }

    private static Repository open(Path gitDir) throws Exception {
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    }
}
