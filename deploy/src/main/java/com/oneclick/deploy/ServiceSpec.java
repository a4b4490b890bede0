package com.oneclick.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The four services: module name, default port, the variable that moves it, the health path. */
public enum ServiceSpec {

    REQUEST("request-service", 8080, "ONECLICK_REQUEST_PORT", "/actuator/health", true, Heap.SMALL),
    APPROVAL("approval-service", 8081, "ONECLICK_APPROVAL_PORT", "/actuator/health", true, Heap.SMALL),
    /** Holds every inventory row in memory (about 1.5 KB each, 200 MB live at 100,000 rows). */
    PROVISIONER("provisioner-service", 8082, "ONECLICK_PROVISIONER_PORT", "/actuator/health", true, Heap.INVENTORY),
    NOTIFIER("notifier-service", 8083, "ONECLICK_NOTIFIER_PORT", "/health", false, Heap.SMALL);

    /** The heap a service starts with in the local stack, before {@code ONECLICK_JAVA_OPTS} (which may set its own). */
    static final class Heap {
        /** Small heaps, quick start: four JVMs and a broker share a laptop (or 2 cores). */
        static final String SMALL = "-Xms64m -Xmx384m";
        /**
         * Fixed at its largest, so the young generation is a third of it from the start and the old
         * one keeps room beside the inventory: with 384 MB, 100,000 rows filled half the old
         * generation and the service collected it in full (255–296 ms, SerialGC) every few seconds
         * under load, and growing the heap took a full collection too (590 ms).
         */
        static final String INVENTORY = "-Xms768m -Xmx768m";

        private Heap() {
        }
    }

    /** The version every module's runnable jar carries (this build's project version). */
    public static final String VERSION = buildVersion();

    private final String module;
    private final int defaultPort;
    private final String portEnvVar;
    private final String healthPath;
    private final boolean spring;
    private final String heap;

    ServiceSpec(String module, int defaultPort, String portEnvVar, String healthPath, boolean spring, String heap) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.portEnvVar = portEnvVar;
        this.healthPath = healthPath;
        this.spring = spring;
        this.heap = heap;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public String portEnvVar() {
        return portEnvVar;
    }

    public String healthPath() {
        return healthPath;
    }

    public boolean spring() {
        return spring;
    }

    /** The JVM's heap options in the local stack ({@code -Xms… -Xmx…}). */
    public String heap() {
        return heap;
    }

    /** {@code <root>/<module>/target/<module>-0.1.0-SNAPSHOT-exec.jar}. */
    public Path execJar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target").resolve(module + "-" + VERSION + "-exec.jar");
    }

    private static String buildVersion() {
        Properties properties = new Properties();
        try (InputStream in = ServiceSpec.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the deploy module's classes");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    /**
     * Binds the service to the loopback interface only: Spring's {@code server.address} and
     * Micronaut's {@code micronaut.server.host}, both as environment variables.
     */
    public Map<String, String> loopbackEnv() {
        return spring ? Map.of("SERVER_ADDRESS", "127.0.0.1") : Map.of("MICRONAUT_SERVER_HOST", "127.0.0.1");
    }
}
