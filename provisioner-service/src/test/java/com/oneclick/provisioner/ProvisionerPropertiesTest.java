package com.oneclick.provisioner;

import com.oneclick.provisioner.git.StackRepository;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisionerPropertiesTest {

    @Test
    void theGitTokenNeverShowsInToString() {
        // given
        ProvisionerProperties properties = new ProvisionerProperties(Path.of("data"),
                new ProvisionerProperties.Git("https://bitbucket.example/infra.git", "main", "svc", "s3cret-token",
                        new ProvisionerProperties.Push(5, Duration.ofSeconds(1), Duration.ofSeconds(60)),
                        new ProvisionerProperties.Repack(6_700, DataSize.ofMegabytes(256))),
                new ProvisionerProperties.Build("local", Duration.ofMinutes(10),
                        new ProvisionerProperties.Terraform("terraform", Path.of("terraform/local"), Duration.ofMinutes(10),
                                2, 10)),
                new ProvisionerProperties.Driver(100, Duration.ofMinutes(30), Duration.ofMillis(100)),
                new ProvisionerProperties.Fault(""));

        // when
        String text = properties.toString();

        // then
        assertThat(text).doesNotContain("s3cret-token").contains("token=<hidden>").contains("username=svc");
    }

    @Test
    void theRepackThresholdsDefaultToTheRepositorysOwnAndCanBeSet() {
        // given
        Binder defaults = new Binder(new MapConfigurationPropertySource(Map.of()));
        Binder set = new Binder(new MapConfigurationPropertySource(Map.of(
                "oneclick.git.repack.after-loose-objects", "1000", "oneclick.git.repack.after-loose-size", "64MB")));

        // when
        ProvisionerProperties.Repack byDefault = defaults.bindOrCreate("oneclick", ProvisionerProperties.class)
                .git().repack();
        ProvisionerProperties.Repack configured = set.bindOrCreate("oneclick", ProvisionerProperties.class)
                .git().repack();

        // then
        assertThat(byDefault.afterLooseObjects()).isEqualTo(StackRepository.Repack.DEFAULT.afterLooseObjects());
        assertThat(byDefault.afterLooseSize().toBytes()).isEqualTo(StackRepository.Repack.DEFAULT.afterLooseBytes());
        assertThat(configured.afterLooseObjects()).isEqualTo(1000);
        assertThat(configured.afterLooseSize()).isEqualTo(DataSize.ofMegabytes(64));
    }
}
