package com.oneclick.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The four services: module name, default port, the variable that moves it, the health path. */
public enum ServiceSpec {

    REQUEST("request-service", 8080, "ONECLICK_REQUEST_PORT", "/actuator/health", true),
    APPROVAL("approval-service", 8081, "ONECLICK_APPROVAL_PORT", "/actuator/health", true),
    PROVISIONER("provisioner-service", 8082, "ONECLICK_PROVISIONER_PORT", "/actuator/health", true),
    NOTIFIER("notifier-service", 8083, "ONECLICK_NOTIFIER_PORT", "/health", false);

    /** The version every module's runnable jar carries (this build's project version). */
    public static final String VERSION = buildVersion();

    private final String module;
    private final int defaultPort;
    private final String portEnvVar;
    private final String healthPath;
    private final boolean spring;

    ServiceSpec(String module, int defaultPort, String portEnvVar, String healthPath, boolean spring) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.portEnvVar = portEnvVar;
        this.healthPath = healthPath;
        this.spring = spring;
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
