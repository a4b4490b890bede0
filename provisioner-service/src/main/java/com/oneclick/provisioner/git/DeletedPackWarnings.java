package com.oneclick.provisioner.git;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Drops JGit's "Unable to read packfile" warning, stack trace and all, when the pack it names is
 * gone: a repository's gc deleted a pack that a reader still listed, and the reader simply drops
 * it and reads on. That happens on the local remote, whose receiving side runs in this JVM and
 * whose automatic gc deletes the packs it replaced at once (6 to 26 such warnings per 100-request
 * benchmark run). JGit logs the same case at DEBUG where it meets it reading an object
 * ({@code PackDirectory.handlePackError}), but at WARN where it meets it looking one up. A pack
 * that is still there but unreadable is still logged.
 */
public final class DeletedPackWarnings extends TurboFilter {

    static final String LOGGER = "org.eclipse.jgit.internal.storage.file.PackDirectory";
    private static final String MESSAGE = "Unable to read packfile ";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level != Level.WARN || format == null || !format.startsWith(MESSAGE)
                || !(t instanceof FileNotFoundException || t instanceof NoSuchFileException)
                || !LOGGER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        try {
            return Files.exists(Path.of(format.substring(MESSAGE.length()).trim())) ? FilterReply.NEUTRAL
                    : FilterReply.DENY;
        } catch (RuntimeException notAPath) {
            return FilterReply.NEUTRAL;
        }
    }
}
