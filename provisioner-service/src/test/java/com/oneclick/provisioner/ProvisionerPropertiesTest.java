package com.oneclick.provisioner;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisionerPropertiesTest {

    @Test
    void theGitTokenNeverShowsInToString() {
        // given
        ProvisionerProperties properties = new ProvisionerProperties(Path.of("data"),
                new ProvisionerProperties.Git("https://bitbucket.example/infra.git", "main", "svc", "s3cret-token",
                        new ProvisionerProperties.Push(5, Duration.ofSeconds(1), Duration.ofSeconds(60))),
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
}
