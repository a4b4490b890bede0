package com.oneclick.deploy;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bare git repository that stands in for Bitbucket in the local stack. */
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
                }
                return false;
            }
            if (Files.exists(dir) && !isEmptyDirectory(dir)) {
                throw new StartupException(dir + " exists but is not a git repository; move it away");
            }
            Files.createDirectories(dir);
            try (Git git = Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call()) {
                return true;
            }
        } catch (IOException | GitAPIException e) {
            throw new StartupException("could not create the bare repository " + dir + ": " + e.getMessage());
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
