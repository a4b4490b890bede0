package com.oneclick.provisioner.git;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DeletedPackWarningsTest {

    @TempDir
    Path tmp;

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void loggerWithTheFilter() {
        DeletedPackWarnings filter = new DeletedPackWarnings();
        filter.start();
        context.addTurboFilter(filter);
        logged.setContext(context);
        logged.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logged);
    }

    @Test
    void aWarningAboutAPackThatIsGoneIsDropped() {
        // given
        Path gone = tmp.resolve("objects/pack/pack-0a1b.pack");

        // when
        context.getLogger(DeletedPackWarnings.LOGGER).warn("Unable to read packfile " + gone,
                new FileNotFoundException(gone.toString().replace(".pack", ".idx") + " (No such file or directory)"));

        // then
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aPackThatIsThereButUnreadableAndEveryOtherWarningAreStillLogged() throws IOException {
        // given
        Path there = Files.createFile(tmp.resolve("pack-2c3d.pack"));
        Logger packDirectory = context.getLogger(DeletedPackWarnings.LOGGER);

        // when
        packDirectory.warn("Unable to read packfile " + there, new FileNotFoundException("permission denied"));
        packDirectory.warn("Unable to read packfile " + tmp.resolve("gone.pack"), new IOException("corrupt"));
        packDirectory.warn("Packfile " + tmp.resolve("gone.pack") + " is corrupt", new FileNotFoundException("x"));
        context.getLogger("org.eclipse.jgit.other").warn("Unable to read packfile " + tmp.resolve("gone.pack"),
                new FileNotFoundException("x"));

        // then
        assertThat(logged.list).hasSize(4);
    }
}
