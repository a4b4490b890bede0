package com.oneclick.deploy;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bare git repository that stands in for Bitbucket in the local stack.
 *
 * <p>It is kept the way a git server keeps its repositories. Every push arrives as a pack of its
 * own; JGit's receive-pack runs an automatic gc once there are more than {@code gc.autoPackLimit}
 * (50) packs, but by default that gc keeps the packs it replaced for an hour
 * ({@code gc.prunePackExpire}), for readers that may still have them open. A push every few
 * seconds then piles up hundreds of packs, and every push gets slower: each one looks objects up in
 * all of them (on this machine 20 ms per push after 200 pushes, 60 ms with the pile-up, 113 after 600).
 * Here nothing else reads the packs, so the replaced ones are deleted at once.
 */
public final class RemoteRepository {

    private RemoteRepository() {
    }

    /**
     * Creates a bare repository with initial branch {@code main} at {@code dir} unless one is there.
     * Returns true if it created one.
     */
    public static boolean ensureBare(Path dir) {
        try {
            if (Files.exists(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"))) {
                try (Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true)
                        .build()) {
                    if (!repository.isBare()) {
                        throw new StartupException(dir + " is a git repository but not a bare one");
                    }
                    keepTidy(repository);
                }
                return false;
            }
            if (Files.exists(dir) && !isEmptyDirectory(dir)) {
                throw new StartupException(dir + " exists but is not a git repository; move it away");
            }
            Files.createDirectories(dir);
            try (Git git = Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call()) {
                keepTidy(git.getRepository());
                return true;
            }
        } catch (IOException | GitAPIException e) {
            throw new StartupException("could not create the bare repository " + dir + ": " + e.getMessage());
        }
    }

    /** Sets {@code gc.prunePackExpire = now} unless the repository sets it already. */
    private static void keepTidy(Repository repository) throws IOException {
        StoredConfig config = repository.getConfig();
        if (config.getString(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_PRUNEPACKEXPIRE)
                == null) {
            config.setString(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_PRUNEPACKEXPIRE,
                    "now");
            config.save();
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
