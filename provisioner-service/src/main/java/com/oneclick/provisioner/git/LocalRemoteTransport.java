package com.oneclick.provisioner.git;

import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryBuilder;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.transport.BasePackPushConnection;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackTransport;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;

/**
 * Pushes to a bare repository on this machine (a remote given as a path) with JGit's receiving side
 * ({@link ReceivePack}) on a thread of this JVM: what JGit's own transport for such a remote does,
 * but with pipes of {@value #PIPE_BUFFER} bytes between the two sides instead of the JDK's default
 * of 1,024. Through 1 KiB pipes the sender and the receiver take turns for every KiB of the pack,
 * neither working while the other does: a commit's {@code stacks} tree at 100,000 stacks is 6.3 MB,
 * about 6,200 turns, which alone take ~86 ms on an idle machine and ~250 ms with both cores busy
 * (each turn waits for the other thread to be scheduled), against 1–4 ms through 1 MiB pipes.
 *
 * <p>Push only; fetches take JGit's own transport. The protocol, the pack and the receiving side's
 * checks are JGit's, as before, and so is the lifetime of the remote repository: opened for each
 * push, closed after it.
 */
final class LocalRemoteTransport extends Transport implements PackTransport {

    /** Bytes each pipe holds: enough for either side to run ahead while the other works. */
    static final int PIPE_BUFFER = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(LocalRemoteTransport.class);

    private final File remoteGitDir;

    private LocalRemoteTransport(Repository local, URIish uri, File remoteGitDir) {
        super(local, uri);
        this.remoteGitDir = remoteGitDir;
    }

    /**
     * A transport to the bare repository at {@code remote}.
     *
     * @throws NoRemoteRepositoryException when no repository is there (a remote that is gone, as
     *                                     JGit's own transport reports it)
     */
    static LocalRemoteTransport open(Repository local, Path remote) throws NoRemoteRepositoryException {
        URIish uri = new URIish().setPath(remote.toString());
        File gitDir = RepositoryCache.FileKey.resolve(remote.toFile(), local.getFS());
        if (gitDir == null) {
            throw new NoRemoteRepositoryException(uri, "not found");
        }
        return new LocalRemoteTransport(local, uri, gitDir);
    }

    @Override
    public FetchConnection openFetch() throws NotSupportedException {
        throw new NotSupportedException("this transport only pushes: " + uri);
    }

    @Override
    public PushConnection openPush() throws TransportException {
        Repository remote;
        try {
            remote = new RepositoryBuilder().setFS(local.getFS()).setGitDir(remoteGitDir).setMustExist(true).build();
        } catch (IOException e) {
            throw new TransportException(uri, "not a git repository", e);
        }
        return new Connection(this, remote);
    }

    @Override
    public void close() {
        // each push opens and closes its own connection and remote repository
    }

    /** One push: the receiving side runs on its own thread, the two joined by large pipes. */
    private static final class Connection extends BasePackPushConnection {

        private Thread receiver;

        Connection(LocalRemoteTransport transport, Repository remote) throws TransportException {
            super(transport);
            PipedInputStream toSender;
            PipedOutputStream fromReceiver;
            PipedInputStream toReceiver;
            PipedOutputStream fromSender;
            try {
                toSender = new PipedInputStream(PIPE_BUFFER);
                fromReceiver = new PipedOutputStream(toSender);
                toReceiver = new PipedInputStream(PIPE_BUFFER);
                fromSender = new PipedOutputStream(toReceiver);
            } catch (IOException e) {
                remote.close();
                throw new TransportException(transport.getURI(), "cannot connect the pipes", e);
            }
            URIish uri = transport.getURI();
            receiver = new Thread(() -> {
                try (remote) {
                    new ReceivePack(remote).receive(toReceiver, fromReceiver, null);
                } catch (IOException | RuntimeException e) {
                    // the sender sees the error report or the broken pipe; this is the cause
                    log.warn("The receiving side of a push to {} failed: {}", uri, e.toString());
                } finally {
                    closeQuietly(toReceiver);
                    closeQuietly(fromReceiver);
                }
            }, "JGit-Receive-Pack " + uri.getPath());
            receiver.setDaemon(true);
            receiver.start();
            init(toSender, fromSender);
            readAdvertisedRefs();
        }

        /** Ends the push and waits for the receiving side to finish (it closes the remote repository). */
        @Override
        public void close() {
            super.close();
            Thread thread = receiver;
            receiver = null;
            if (thread != null) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static void closeQuietly(Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // the other side is gone already
            }
        }
    }
}
