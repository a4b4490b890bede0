package com.oneclick.provisioner.git;

import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.internal.storage.file.PackFile;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The housekeeping of {@link StackRepository}'s local repository: counts what is written loose
 * and, once the {@link StackRepository.Repack} policy says so, writes everything the refs reach
 * into one new pack on a thread of its own, reading only, while pushes go on. The packs it replaced
 * and the loose objects it holds are deleted later by {@link StackRepository}, with its lock held
 * and the repository closed ({@link #takeReplaced}, {@link #deletePacks}, {@link #pruneLoose}). So
 * nothing a push reads or writes is deleted under it: JGit's own {@link GC} deletes while it
 * packs, and a loose object written meanwhile into a fan-out directory it had just emptied and
 * removed failed to write.
 *
 * <p>Deltas between the versions of the {@code stacks} tree keep the pack small; one thread
 * searches for them, so a repack takes at most one core. No bitmap index is written: a push's pack
 * writer uses one when there is one and then walks every commit made since, which made pushes at
 * 100,000 stacks slower with each commit (852 → 1,345 ms over 15 commits), not faster.
 */
final class Repacker {

    private static final Logger log = LoggerFactory.getLogger(Repacker.class);

    private final Path workDir;
    private final StackRepository.Repack policy;
    /** Objects and their bytes written loose since the last repack started (guarded by {@code this}). */
    private long looseObjects;
    private long looseBytes;
    private final AtomicBoolean repacking = new AtomicBoolean();
    /** The packs a finished repack replaced, until {@link #takeReplaced} hands them over. */
    private final AtomicReference<List<PackFile>> replacedPacks = new AtomicReference<>();
    private volatile boolean stopping;

    Repacker(Path workDir, StackRepository.Repack policy) {
        this.workDir = workDir;
        this.policy = policy;
    }

    /** Starts the count again from what is loose in {@code repo} now (an older version never repacked). */
    void countLoose(FileRepository repo) throws IOException {
        GC.RepoStatistics statistics = new GC(repo).getStatistics();
        synchronized (this) {
            looseObjects = statistics.numberOfLooseObjects;
            looseBytes = statistics.sizeOfLooseObjects;
        }
    }

    /** Counts an object written (or found already there: an estimate that errs toward repacking). */
    synchronized void written(long bytes) {
        looseObjects++;
        looseBytes += bytes;
    }

    /**
     * After a push: starts a repack of {@code repo} when the policy says so and none is under way
     * or waiting to be taken over. The count starts again from here; what is written meanwhile
     * counts toward the next.
     */
    synchronized void repackIfDue(FileRepository repo) {
        if (looseObjects < policy.afterLooseObjects() && looseBytes < policy.afterLooseBytes()) {
            return;
        }
        if (stopping || replacedPacks.get() != null || !repacking.compareAndSet(false, true)) {
            return;
        }
        long objects = looseObjects;
        long bytes = looseBytes;
        looseObjects = 0;
        looseBytes = 0;
        Thread thread = new Thread(() -> repack(repo, objects, bytes), "stack-repository-repack");
        thread.setDaemon(true);
        thread.start();
    }

    /** The packs a finished repack replaced, once (null when there are none). */
    List<PackFile> takeReplaced() {
        return replacedPacks.getAndSet(null);
    }

    boolean hasReplaced() {
        return replacedPacks.get() != null;
    }

    /**
     * Asks a repack under way to stop (JGit checks every so often) and waits for it up to
     * {@code atMost}; until {@link #resume}, no repack starts.
     */
    void stop(Duration atMost) {
        stopping = true;
        awaitIdle(atMost);
    }

    void resume() {
        stopping = false;
    }

    /** Waits until no repack is under way (or {@code atMost} passed); true when none is. */
    boolean awaitIdle(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (repacking.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !repacking.get();
            }
        }
        return true;
    }

    private void repack(FileRepository repo, long objects, long bytes) {
        long start = System.nanoTime();
        Path packDir = repo.getObjectDatabase().getPackDirectory().toPath();
        Path tmpPack = null;
        Path tmpIndex = null;
        try {
            List<PackFile> before = new ArrayList<>();
            for (Pack pack : repo.getObjectDatabase().getPacks()) {
                if (!pack.shouldBeKept()) {
                    before.add(pack.getPackFile());
                }
            }
            Set<ObjectId> tips = new HashSet<>();
            for (Ref ref : repo.getRefDatabase().getRefs()) {
                if (ref.getObjectId() != null) {
                    tips.add(ref.getObjectId());
                }
            }
            PackConfig config = new PackConfig(repo);
            config.setBuildBitmaps(false);
            config.setThreads(1);
            ProgressMonitor stopWhenAsked = new EmptyProgressMonitor() {
                @Override
                public boolean isCancelled() {
                    return stopping;
                }
            };
            PackFile written;
            try (ObjectReader reader = repo.newObjectReader(); PackWriter writer = new PackWriter(config, reader)) {
                writer.setDeltaBaseAsOffset(true); // as git's and JGit's gc write a repository's own packs
                writer.preparePack(stopWhenAsked, tips, PackWriter.NONE);
                if (writer.getObjectCount() == 0) {
                    return; // no ref reaches anything yet
                }
                Files.createDirectories(packDir);
                tmpPack = Files.createTempFile(packDir, "repack_", ".pack_tmp");
                tmpIndex = packDir.resolve(tmpPack.getFileName().toString().replace(".pack_tmp", ".idx_tmp"));
                writeSynced(tmpPack, out -> writer.writePack(stopWhenAsked, stopWhenAsked, out));
                writeSynced(tmpIndex, writer::writeIndex);
                written = new PackFile(packDir.toFile(), writer.computeName(), PackExt.PACK);
            }
            if (!Files.exists(written.toPath())) {
                // the .pack first, then its index, as JGit's gc does
                Files.move(tmpPack, written.toPath(), StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmpIndex, written.create(PackExt.INDEX).toPath(), StandardCopyOption.ATOMIC_MOVE);
            }
            replacedPacks.set(before.stream().filter(pack -> !pack.getName().equals(written.getName())).toList());
            log.info("Repacked the local repository ({} objects, {} MB written loose since the last repack) in {} ms",
                    objects, bytes >> 20, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                looseObjects += objects;
                looseBytes += bytes;
            }
            if (stopping) {
                log.info("Repack of the local repository stopped: the repository is closing");
            } else {
                log.warn("Could not repack the local repository {} (tried again after a later push): {}", workDir,
                        e.getMessage());
            }
        } finally {
            deleteQuietly(tmpPack);
            deleteQuietly(tmpIndex);
            repacking.set(false);
        }
    }

    /** Deletes the packs a repack replaced (everything the refs reached in them is in its pack). */
    static void deletePacks(List<PackFile> packs) {
        for (PackFile pack : packs) {
            for (PackExt ext : PackExt.values()) { // PACK first, as JGit's gc does
                try {
                    Files.deleteIfExists(pack.create(ext).toPath());
                } catch (IOException e) {
                    log.warn("Could not delete {}, which a repack replaced: {}", pack.create(ext), e.getMessage());
                }
            }
        }
    }

    /**
     * Deletes the loose objects a pack now holds, and those no ref reaches that are older than
     * {@code gc.pruneExpire} (two weeks). For the caller that holds the repository's lock, right
     * after a repack's pack took over.
     */
    void pruneLoose(FileRepository repo) {
        try {
            GC gc = new GC(repo);
            gc.prunePacked();
            gc.prune(Set.of());
        } catch (IOException | ParseException e) {
            log.warn("Could not delete the loose objects of the local repository {} that a repack packed: {}",
                    workDir, e.getMessage());
        }
    }

    private interface PackOutput {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void writeSynced(Path file, PackOutput output) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
            output.writeTo(out);
            out.flush();
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.debug("Could not delete {}: {}", file, e.getMessage());
            }
        }
    }
}
