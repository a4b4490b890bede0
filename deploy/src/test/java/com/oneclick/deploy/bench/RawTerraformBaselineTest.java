package com.oneclick.deploy.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Both Terraform baselines, with the real CLI on terraform/local/ec2-instance. */
class RawTerraformBaselineTest {

    private static final Path MODULE = Path.of("..", "terraform", "local", "ec2-instance").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void thePlainWayInitialisesAndAppliesEachStackInItsOwnDirectory() throws IOException {
        // when
        RawTerraformBaseline.Figures figures = new RawTerraformBaseline("terraform", MODULE, tmp)
                .run(RawTerraformBaseline.Way.PLAIN, 3, 2, Duration.ofMinutes(2));

        // then every stack applied, with a state and a working directory of its own
        assertThat(figures.firstError()).isNull();
        assertThat(figures.succeeded()).isEqualTo(3);
        assertThat(figures.build().count()).isEqualTo(3);
        assertThat(figures.stacksPerSecond()).isPositive();
        assertThat(states(tmp.resolve("plain"))).isEqualTo(3);
        try (Stream<Path> builds = Files.list(tmp.resolve("plain").resolve("builds"))) {
            assertThat(builds).hasSize(3).allSatisfy(build -> {
                assertThat(build.resolve(".terraform").resolve("terraform.tfstate")).exists();
                assertThat(build.resolve("apply.log")).content().contains("Apply complete!").contains("instance_id");
            });
        }
        assertThat(MODULE.resolve(".terraform")).doesNotExist();
    }

    @Test
    void theLocalBuildWayAppliesEveryStackInItsWorkspaceOfOneInitialisedDirectory() throws IOException {
        // when
        RawTerraformBaseline.Figures figures = new RawTerraformBaseline("terraform", MODULE, tmp)
                .run(RawTerraformBaseline.Way.LOCAL_BUILD, 3, 2, Duration.ofMinutes(2));

        // then every stack applied, each with its own state, and only one directory was initialised
        assertThat(figures.firstError()).isNull();
        assertThat(figures.succeeded()).isEqualTo(3);
        assertThat(states(tmp.resolve("local_build"))).isEqualTo(3);
        assertThat(tmp.resolve("local_build").resolve("working-directory").resolve(".terraform")
                .resolve("terraform.tfstate")).exists();
        try (Stream<Path> builds = Files.list(tmp.resolve("local_build").resolve("builds"))) {
            assertThat(builds).hasSize(3).allSatisfy(build -> {
                assertThat(build.resolve(".terraform")).doesNotExist();
                assertThat(build.resolve("apply.log")).content().contains("\"type\":\"outputs\"");
            });
        }
    }

    @Test
    void aStackThatFailsIsCountedAsAnErrorNotAsABuild() {
        // when: a module directory that does not exist
        RawTerraformBaseline.Figures figures = new RawTerraformBaseline("terraform", tmp.resolve("no-module"), tmp)
                .run(RawTerraformBaseline.Way.PLAIN, 2, 1, Duration.ofMinutes(2));

        // then
        assertThat(figures.succeeded()).isZero();
        assertThat(figures.firstError()).startsWith("terraform ");
    }

    private static long states(Path runDir) throws IOException {
        try (Stream<Path> files = Files.walk(runDir.resolve("state"))) {
            return files.filter(f -> f.getFileName().toString().equals("terraform.tfstate")).count();
        }
    }
}
