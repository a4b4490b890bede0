package com.oneclick.provisioner.git;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LocalRemoteTransport} on real repositories: JGit's protocol and receiving side through
 * pipes of 1 MiB. {@code StackRepositoryTest} pushes through it in every case with a path remote
 * (rejections, a locked branch, a rebase); here, what is its own.
 */
class LocalRemoteTransportTest {

    private static final String MAIN = Constants.R_HEADS + "main";

    @TempDir
    Path tmp;

    private Path remote;
    private Repository local;

    @BeforeEach
    void repositories() throws Exception {
        remote = tmp.resolve("remote.git");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(remote.toFile()).call().close();
        local = Git.init().setBare(true).setInitialBranch("main").setDirectory(tmp.resolve("local.git").toFile())
                .call().getRepository();
    }

    @Test
    void aPackSeveralTimesLargerThanThePipesArrivesWholeAndTheReceivingSideEnds() throws Exception {
        // given: a commit holding 5 MiB that does not compress, five times what a pipe holds
        byte[] content = new byte[5 * LocalRemoteTransport.PIPE_BUFFER];
        new Random(7).nextBytes(content);
        ObjectId blob;
        ObjectId commit;
        try (ObjectInserter inserter = local.newObjectInserter()) {
            blob = inserter.insert(Constants.OBJ_BLOB, content);
            TreeFormatter tree = new TreeFormatter();
            tree.append("big.bin", FileMode.REGULAR_FILE, blob);
            CommitBuilder builder = new CommitBuilder();
            builder.setTreeId(inserter.insert(tree));
            PersonIdent someone = new PersonIdent("OneClick", "oneclick@localhost");
            builder.setAuthor(someone);
            builder.setCommitter(someone);
            builder.setMessage("big");
            commit = inserter.insert(builder);
            inserter.flush();
        }
        RefUpdate update = local.updateRef(MAIN);
        update.setNewObjectId(commit);
        assertThat(update.update()).isEqualTo(RefUpdate.Result.NEW);

        // when
        PushResult result = push();

        // then: accepted, and the remote has the commit and the blob byte for byte
        assertThat(result.getRemoteUpdate(MAIN).getStatus()).isEqualTo(RemoteRefUpdate.Status.OK);
        try (Repository repo = Git.open(remote.toFile()).getRepository()) {
            assertThat(repo.resolve(MAIN)).isEqualTo(commit);
            assertThat(repo.open(blob, Constants.OBJ_BLOB).getBytes()).isEqualTo(content);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("JGit-Receive-Pack " + remote) && t.isAlive());
    }

    @Test
    void aRemoteThatIsGoneIsReportedAsJGitsOwnTransportReportsIt() {
        Path gone = tmp.resolve("gone.git");

        assertThatThrownBy(() -> LocalRemoteTransport.open(local, gone))
                .isInstanceOf(NoRemoteRepositoryException.class)
                .hasMessageContaining(gone.toString())
                .hasMessageContaining("not found");
    }

    @Test
    void itOnlyPushes() throws Exception {
        try (Transport transport = LocalRemoteTransport.open(local, remote)) {
            assertThat(transport.getURI()).isEqualTo(new URIish().setPath(remote.toString()));
            assertThatThrownBy(transport::openFetch).hasMessageContaining("only pushes");
        }
    }

    private PushResult push() throws Exception {
        try (Transport transport = LocalRemoteTransport.open(local, remote)) {
            return transport.push(NullProgressMonitor.INSTANCE,
                    transport.findRemoteRefUpdatesFor(List.of(new RefSpec(MAIN + ":" + MAIN))));
        }
    }
}
