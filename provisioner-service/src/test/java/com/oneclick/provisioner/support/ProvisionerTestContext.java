package com.oneclick.provisioner.support;

import com.oneclick.testsupport.KafkaSupport;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.nio.file.Path;
import java.util.function.Supplier;

/** What every provisioner integration test gives the application: the test broker, its files, its remote and modules directory. */
public final class ProvisionerTestContext {

    private ProvisionerTestContext() {
    }

    public static void register(DynamicPropertyRegistry registry, Supplier<Path> dataDir, Supplier<Path> remote,
                                Supplier<Path> modules) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
        registry.add("oneclick.data-dir", () -> dataDir.get().toString());
        registry.add("oneclick.git.remote", () -> remote.get().toString());
        registry.add("oneclick.git.push.backoff", () -> "100ms");
        registry.add("oneclick.build.terraform.modules-dir", () -> modules.get().toString());
    }
}
