package com.oneclick.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Loopback port checks: is a port free, find a free one, check a whole stack's ports at once. */
public final class Ports {

    /** A port the stack needs, who needs it, and the environment variable that moves it. */
    public record Claim(int port, String owner, String envVar) {
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Ports() {
    }

    /**
     * True when nothing listens on the port on the loopback interface (or on every interface) and a
     * server could bind it now.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, port));
        } catch (IOException e) {
            return false;
        }
        // A listener on another loopback form (e.g. only on ::1 or a wildcard with SO_REUSEPORT)
        // may let the bind succeed; a connection that is accepted settles it.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** A port that is free on the loopback interface right now (the OS picks it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /**
     * Checks every claim before anything starts: two claims on one port, or a port in use, is a
     * {@link StartupException} with one clear line.
     */
    public static void requireFree(List<Claim> claims) {
        Map<Integer, Claim> seen = new HashMap<>();
        for (Claim claim : claims) {
            Claim other = seen.putIfAbsent(claim.port(), claim);
            if (other != null) {
                throw new StartupException("port " + claim.port() + " is configured for both " + other.owner()
                        + " and " + claim.owner() + "; set " + other.envVar() + " or " + claim.envVar()
                        + " to another port");
            }
        }
        for (Claim claim : claims) {
            if (!isFree(claim.port())) {
                throw new StartupException("port " + claim.port() + " (" + claim.owner()
                        + ") is already in use; stop what uses it or set " + claim.envVar());
            }
        }
    }
}
