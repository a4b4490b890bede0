package com.oneclick.provisioner;

import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.provisioner.build.BuildSystem;
import com.oneclick.provisioner.build.CodeBuildBuild;
import com.oneclick.provisioner.build.LocalTerraformBuild;
import com.oneclick.provisioner.events.EventSink;
import com.oneclick.provisioner.events.KafkaEventSink;
import com.oneclick.provisioner.git.StackRepository;
import com.oneclick.provisioner.inventory.CsvInventory;
import com.oneclick.provisioner.stack.TfvarsWriter;
import com.oneclick.spring.EventPublisher;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.nio.file.Path;
import java.time.Clock;

/** The provisioner: approved requests in, resources (or failures) out. Wires the use case to its adapters. */
@SpringBootApplication
@EnableConfigurationProperties(ProvisionerProperties.class)
public class ProvisionerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProvisionerApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    CsvInventory csvInventory(ProvisionerProperties properties) {
        return new CsvInventory(dataDir(properties));
    }

    @Bean
    TfvarsWriter tfvarsWriter() {
        return new TfvarsWriter();
    }

    @Bean
    StackRepository stackRepository(ProvisionerProperties properties) {
        ProvisionerProperties.Git git = properties.git();
        return new StackRepository(dataDir(properties).resolve("repo"), git.remote(), git.branch(), git.username(),
                git.token(), git.push().maxAttempts(), git.push().backoff(), git.push().timeout(),
                new StackRepository.Repack(git.repack().afterLooseObjects(), git.repack().afterLooseSize().toBytes()));
    }

    @Bean
    BuildSystem buildSystem(ProvisionerProperties properties, StackRepository repository, Clock clock) {
        ProvisionerProperties.Build build = properties.build();
        if (CodeBuildBuild.MODE.equals(build.mode())) {
            ProvisionerProperties.CodeBuild codebuild = build.codebuild();
            return CodeBuildBuild.create(new CodeBuildBuild.Settings(codebuild.project(), codebuild.startBuild(),
                            codebuild.pollInterval(), codebuild.lookback(), codebuild.artifactBucket(),
                            codebuild.artifactPrefix()),
                    codebuild.region(), codebuild.endpoint(), codebuild.s3Endpoint(),
                    DefaultCredentialsProvider.builder().build(), clock);
        }
        if (!LocalTerraformBuild.MODE.equals(build.mode())) {
            throw new IllegalStateException("oneclick.build.mode (ONECLICK_BUILD_MODE) '" + build.mode()
                    + "' is not a build mode; use 'local' or 'codebuild'");
        }
        ProvisionerProperties.Terraform terraform = build.terraform();
        if (System.getenv("ONECLICK_TERRAFORM_MODULE") != null) {
            LoggerFactory.getLogger(ProvisionerApplication.class).warn("ONECLICK_TERRAFORM_MODULE is no longer read: "
                    + "the local build uses ONECLICK_TERRAFORM_MODULES (oneclick.build.terraform.modules-dir), the "
                    + "directory holding one module directory per product; now {}", terraform.modulesDir());
        }
        return new LocalTerraformBuild(repository, dataDir(properties), terraform.bin(), terraform.modulesDir(),
                ProductCatalog.standard(), terraform.timeout(), terraform.parallelism(), terraform.niceness());
    }

    @Bean
    EventSink eventSink(EventPublisher publisher) {
        return new KafkaEventSink(publisher);
    }

    /** The use case; its driver resumes unfinished requests as soon as the application is up. */
    @Bean(initMethod = "start", destroyMethod = "close")
    Provisioning provisioning(CsvInventory inventory, TfvarsWriter writer, StackRepository repository,
                              BuildSystem builds, EventSink events, Clock clock, ProvisionerProperties properties) {
        ProvisionerProperties.Driver driver = properties.provisioning();
        return new Provisioning(inventory, writer, repository, builds, events, clock, new Provisioning.Settings(
                driver.maxBatch(), driver.pushGiveUpAfter(), properties.build().appearTimeout(), driver.idle()),
                haltAt(properties.fault().haltAt()));
    }

    /** The fault tests' kill switch: stops the process dead at the named checkpoint. */
    private static Checkpoint haltAt(String point) {
        if (point == null || point.isBlank()) {
            return Checkpoint.NONE;
        }
        if (!point.equals(Checkpoint.PUSHED) && !point.equals(Checkpoint.BUILT)) {
            throw new IllegalStateException("oneclick.fault.halt-at (ONECLICK_FAULT_HALT_AT) '" + point
                    + "' is not a checkpoint; use '" + Checkpoint.PUSHED + "' or '" + Checkpoint.BUILT + "'");
        }
        LoggerFactory.getLogger(ProvisionerApplication.class).warn("Fault injection on: the process halts at "
                + "checkpoint '{}'", point);
        return reached -> {
            if (reached.equals(point)) {
                LoggerFactory.getLogger(ProvisionerApplication.class).error("Halting at checkpoint '{}' "
                        + "(oneclick.fault.halt-at)", reached);
                Runtime.getRuntime().halt(137);
            }
        };
    }

    private static Path dataDir(ProvisionerProperties properties) {
        return properties.dataDir().toAbsolutePath().normalize();
    }
}
