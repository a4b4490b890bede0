package com.oneclick.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackSettingsTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void defaultsAreTheDocumentedPortsAndStateDirectory() {
        // when
        StackSettings settings = StackSettings.from(ROOT, Map.of());

        // then
        assertThat(settings.portClaims()).extracting(Ports.Claim::port)
                .containsExactly(9092, 9093, 3025, 8025, 8080, 8081, 8082, 8083);
        assertThat(settings.stateDir()).isEqualTo(ROOT.resolve(".oneclick"));
        assertThat(settings.dataDir(ServiceSpec.PROVISIONER)).isEqualTo(ROOT.resolve(".oneclick/provisioner-service"));
        assertThat(settings.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void eachPortIsMovedByItsOwnVariable() {
        // when
        StackSettings settings = StackSettings.from(ROOT, Map.of(
                "ONECLICK_REQUEST_PORT", "18080", "ONECLICK_KAFKA_PORT", "19092", "ONECLICK_MAIL_UI_PORT", "18025"));

        // then
        assertThat(settings.port(ServiceSpec.REQUEST)).isEqualTo(18080);
        assertThat(settings.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(settings.mailUiPort()).isEqualTo(18025);
        assertThat(settings.port(ServiceSpec.APPROVAL)).isEqualTo(8081);
    }

    @Test
    void portThatIsNotANumberIsRefusedWithTheVariableName() {
        assertThatThrownBy(() -> StackSettings.from(ROOT, Map.of("ONECLICK_SMTP_PORT", "smtp")))
                .isInstanceOf(StartupException.class)
                .hasMessage("ONECLICK_SMTP_PORT must be a port number from 1 to 65535, not 'smtp'");
    }

    @Test
    void theProvisionerHoldingTheInventoryGetsTheLargerHeapAndJavaOptsComeAfterTheHeapSoTheirsWin() {
        // when
        StackSettings defaults = StackSettings.from(ROOT, Map.of());
        StackSettings own = StackSettings.from(ROOT, Map.of("ONECLICK_JAVA_OPTS", " -Xmx1g  -XX:+UseG1GC "));

        // then
        assertThat(defaults.jvmOptions(ServiceSpec.PROVISIONER))
                .containsExactly("-Xms768m", "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        assertThat(defaults.jvmOptions(ServiceSpec.REQUEST))
                .containsExactly("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        assertThat(own.jvmOptions(ServiceSpec.NOTIFIER)).containsExactly("-Xms64m", "-Xmx384m", "-Xmx1g", "-XX:+UseG1GC");
        assertThat(own.jvmOptions(ServiceSpec.PROVISIONER)).endsWith("-Xmx1g", "-XX:+UseG1GC");
    }

    @Test
    void approvalServiceGetsTheApproverAndProvisionerTheRemoteAndModule() {
        // given
        StackSettings settings = StackSettings.from(ROOT, Map.of());
        ApproverCredentials approver = new ApproverCredentials("approver", "secret-password", "a@b.example", false);

        // when
        Map<String, String> approval = UpCommand.serviceEnv(ServiceSpec.APPROVAL, settings, approver);
        Map<String, String> provisioner = UpCommand.serviceEnv(ServiceSpec.PROVISIONER, settings, approver);

        // then
        assertThat(approval).containsEntry("ONECLICK_PORT", "8081")
                .containsEntry("ONECLICK_APPROVAL_USERS_0_USERNAME", "approver")
                .containsEntry("ONECLICK_APPROVAL_USERS_0_ROLES_0", "APPROVER")
                .doesNotContainValue("secret-password");
        assertThat(provisioner).containsEntry("ONECLICK_GIT_REMOTE", ROOT.resolve(".oneclick/remote.git").toString())
                .containsEntry("ONECLICK_TERRAFORM_MODULES", ROOT.resolve("terraform/local").toString())
                .containsEntry("ONECLICK_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
                .doesNotContainKey("ONECLICK_APPROVAL_USERS_0_PASSWORD");
    }
}
