package com.oneclick.notifier.mail;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.catalog.Parameter;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.notifier.NotificationKind;
import com.oneclick.notifier.OutgoingMail;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.oneclick.notifier.TestEvents.READER;
import static com.oneclick.notifier.TestEvents.SECRET_ARN;
import static com.oneclick.notifier.TestEvents.WRITER;
import static com.oneclick.notifier.TestEvents.auroraProvisioned;
import static com.oneclick.notifier.TestEvents.auroraRequest;
import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.provisionedWithOutputs;
import static com.oneclick.notifier.mail.MailComposer.NOT_REPORTED;
import static com.oneclick.notifier.TestEvents.request;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailComposerTest {

    private static final String SIMULATED_LINE =
            "This EC2 instance was simulated by the local build: no cloud resource was created.";

    private final MailComposer composer = new MailComposer(MailTemplates.fromClasspath(),
            "https://approvals.example.com/approvals");

    @Test
    void provisionedMailCarriesNameInstanceIdIpRegionAndTheSimulatedLine() {
        // given
        String requestId = newRequestId();
        InstanceProvisioned event = provisioned(requestId, "build-agent-7", true);

        // when
        OutgoingMail mail = composer.compose(NotificationKind.PROVISIONED, event);

        // then
        assertThat(mail.recipient()).isEqualTo(requesterOf(requestId));
        assertThat(mail.subject()).contains("build-agent-7").contains("i-0123456789abcdef0");
        for (String part : new String[] {mail.text(), mail.html()}) {
            assertThat(part).contains("build-agent-7", "i-0123456789abcdef0", "10.0.1.23", "eu-west-1",
                    "eu-west-1a", requestId, SIMULATED_LINE);
        }
    }

    @Test
    void auroraProvisionedMailListsTheOutputsWithTheCatalogsLabelsInTheCatalogsOrder() {
        // given
        String requestId = newRequestId();
        InstanceProvisioned event = auroraProvisioned(requestId, "orders-db", true);

        // when
        OutgoingMail mail = composer.compose(NotificationKind.PROVISIONED, event);

        // then
        String cluster = "oneclick-" + requestId.substring(0, 8);
        assertThat(mail.recipient()).isEqualTo(requesterOf(requestId));
        assertThat(mail.subject()).isEqualTo("OneClick: your Aurora MySQL cluster orders-db is ready (" + cluster + ")");
        assertThat(mail.text()).containsSubsequence(
                "your Aurora MySQL cluster \"orders-db\" is ready.",
                "  Cluster:                 " + cluster + "\n",
                "  Name:                    orders-db\n",
                "  Writer endpoint:         " + WRITER + "\n",
                "  Reader endpoint:         " + READER + "\n",
                "  Port:                    3306\n",
                "  Master password secret:  " + SECRET_ARN + "\n",
                "  Availability zones:      eu-west-1a,eu-west-1b\n",
                "  Product:     Aurora MySQL cluster\n",
                "  Region:      eu-west-1\n",
                "  Request ID:  " + requestId + "\n",
                "This Aurora MySQL cluster was simulated by the local build: no cloud resource was created.")
                .doesNotContain("Private IP", "Instance ID", "key pair", NOT_REPORTED);
        assertThat(mail.html()).containsSubsequence(
                "<th align=\"left\">Cluster</th><td><code>" + cluster + "</code>",
                "<th align=\"left\">Writer endpoint</th><td><code>" + WRITER + "</code>",
                "<th align=\"left\">Reader endpoint</th><td><code>" + READER + "</code>",
                "<th align=\"left\">Port</th><td><code>3306</code>",
                "<th align=\"left\">Master password secret</th><td><code>" + SECRET_ARN + "</code>",
                "<th align=\"left\">Product</th><td>Aurora MySQL cluster</td>",
                "This Aurora MySQL cluster was simulated by the local build")
                .doesNotContain("Private IP", "key pair");
    }

    @Test
    void outputValuesAreEscapedInTheHtmlPartAndUnknownOutputsComeLastUnderTheirOwnName() {
        // given: outputs come from the build, which no request validator checked
        String requestId = newRequestId();
        InstanceProvisioned clean = auroraProvisioned(requestId, "orders-db", false);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("extra_output", "<i>x</i>");
        outputs.putAll(clean.outputs());
        outputs.put("endpoint", "<script>alert(1)</script>");
        InstanceProvisioned event = new InstanceProvisioned(clean.eventId(), requestId, clean.occurredAt(), 1,
                clean.instanceId(), clean.instanceName(), null, null, false, null, null, clean.request(), outputs);

        // when
        OutgoingMail mail = composer.compose(NotificationKind.PROVISIONED, event);

        // then
        assertThat(mail.html()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>", "<i>")
                .containsSubsequence("Availability zones", "<th align=\"left\">extra_output</th><td><code>&lt;i&gt;");
        assertThat(mail.text()).contains("Writer endpoint:         <script>alert(1)</script>")
                .doesNotContain("simulated");
    }

    @Test
    void ec2EventWithOutputsGivesTheSameEmailAsAnOlderEventWithout() {
        // given
        String requestId = newRequestId();
        InstanceProvisioned older = provisioned(requestId, "build-agent-7", true);
        InstanceProvisioned withOutputs = provisionedWithOutputs(requestId, "build-agent-7", true);

        // when
        OutgoingMail fromOlder = composer.compose(NotificationKind.PROVISIONED, older);
        OutgoingMail fromOutputs = composer.compose(NotificationKind.PROVISIONED, withOutputs);

        // then: the instance ID, name, IP and zone, labelled and in the same order either way
        assertThat(older.outputs()).isEmpty();
        assertThat(fromOutputs).isEqualTo(fromOlder);
        assertThat(fromOutputs.subject()).isEqualTo(
                "OneClick: your EC2 instance build-agent-7 is ready (i-0123456789abcdef0)");
        assertThat(fromOutputs.text()).containsSubsequence(
                "  Instance ID:        i-0123456789abcdef0\n",
                "  Name:               build-agent-7\n",
                "  Private IP:         10.0.1.23\n",
                "  Availability zone:  eu-west-1a\n",
                "  Product:     EC2 instance\n",
                "  Region:      eu-west-1\n",
                SIMULATED_LINE,
                "Connect with the key pair \"dev-key\".");
    }

    @Test
    void realInstanceMailHasNoSimulatedLine() {
        // given
        InstanceProvisioned event = provisioned(newRequestId(), "db-proxy", false);

        // when
        OutgoingMail mail = composer.compose(NotificationKind.PROVISIONED, event);

        // then
        assertThat(mail.text()).contains("i-0123456789abcdef0").doesNotContain("simulated");
        assertThat(mail.html()).contains("i-0123456789abcdef0").doesNotContain("simulated");
    }

    @Test
    void rejectedMailCarriesTheReason() {
        // given
        String requestId = newRequestId();
        RequestRejected event = RequestRejected.of(requestId, "alice",
                "Use the shared subnet subnet-0fedcba9 & a t3.small instead",
                request("web-1", requesterOf(requestId)));

        // when
        OutgoingMail mail = composer.compose(NotificationKind.REJECTED, event);

        // then
        assertThat(mail.subject()).contains("rejected");
        assertThat(mail.text()).contains("Reason: Use the shared subnet subnet-0fedcba9 & a t3.small instead")
                .contains("alice");
        assertThat(mail.html()).contains("Use the shared subnet subnet-0fedcba9 &amp; a t3.small instead");
    }

    @Test
    void htmlHostileNameIsEscapedInTheHtmlPartAndKeptVerbatimInTheText() {
        // given
        String hostile = "<script>alert(1)</script>";
        InstanceProvisioned event = provisioned(newRequestId(), hostile, true);

        // when
        OutgoingMail mail = composer.compose(NotificationKind.PROVISIONED, event);

        // then
        assertThat(mail.html()).doesNotContain("<script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(mail.text()).contains(hostile);
    }

    @Test
    void subjectHasNoLineBreakEvenWhenAValueCarriesOne() {
        // given: the instance name comes from the build's outputs, which no request validator checked
        String requestId = newRequestId();
        InstanceProvisioned clean = provisioned(requestId, "web-1", false);
        InstanceProvisioned event = new InstanceProvisioned(clean.eventId(), requestId, clean.occurredAt(), 1,
                "i-0123456789abcdef0", "web-1\r\nBcc: victim@example.org\n", clean.privateIp(),
                clean.availabilityZone(), false, null, null, clean.request());

        // when
        OutgoingMail mail = composer.compose(NotificationKind.PROVISIONED, event);

        // then
        assertThat(mail.subject()).doesNotContain("\r").doesNotContain("\n")
                .contains("web-1 Bcc: victim@example.org");
    }

    @Test
    void approvedMailShowsTheCommentOnlyWhenThereIsOne() {
        // given
        String requestId = newRequestId();
        RequestApproved withComment = RequestApproved.of(requestId, "bob", "Enjoy", request("web-1", requesterOf(requestId)));
        RequestApproved without = RequestApproved.of(requestId, "bob", null, request("web-1", requesterOf(requestId)));

        // when
        OutgoingMail commented = composer.compose(NotificationKind.APPROVED, withComment);
        OutgoingMail plain = composer.compose(NotificationKind.APPROVED, without);

        // then
        assertThat(commented.text()).contains("approved by bob").contains("Comment: Enjoy");
        assertThat(plain.text()).contains("approved by bob").doesNotContain("Comment:");
        assertThat(plain.html()).doesNotContain("Comment:");
    }

    @Test
    void failedMailCarriesTheReasonAndWhatToDoNext() {
        // given
        String requestId = newRequestId();
        ProvisioningFailed event = ProvisioningFailed.of(requestId, "build",
                "Error: InvalidSubnetID.NotFound: subnet-0a1b2c3d", request("web-1", requesterOf(requestId)));

        // when
        OutgoingMail mail = composer.compose(NotificationKind.FAILED, event);

        // then
        assertThat(mail.subject()).contains("failed");
        for (String part : new String[] {mail.text(), mail.html()}) {
            assertThat(part).contains("InvalidSubnetID.NotFound: subnet-0a1b2c3d", "What to do next",
                    "submit a new request", requestId);
        }
    }

    @Test
    void receivedMailSummarisesTheRequest() {
        // given
        String requestId = newRequestId();
        RequestSubmitted event = new RequestSubmitted(UUID.randomUUID(), requestId, Instant.now(), 1,
                request("web-1", requesterOf(requestId)));

        // when
        OutgoingMail mail = composer.compose(NotificationKind.RECEIVED, event);

        // then
        assertThat(mail.subject()).isEqualTo("OneClick: we received your request for web-1 (EC2 instance)");
        assertThat(mail.text()).contains(requestId, "Product:        EC2 instance", "Instance type:  t3.micro",
                "VPC / subnet:   vpc-0a1b2c3d / subnet-0a1b2c3d", "AMI:            ami-0a1b2c3d4e5f67890",
                "Key pair:       dev-key", "Root volume:    20 GiB").doesNotContain("settings:");
        assertThat(mail.html()).contains(requestId, "t3.micro", "<td>EC2 instance</td>");
    }

    @Test
    void approverMailCarriesTheRequestThePolicyAndTheLinkToTheApprovalsPage() {
        // given
        String requestId = newRequestId();
        ApprovalRequested event = ApprovalRequested.of(requestId, List.of("alice@example.com", "bob@example.com"), 2,
                List.of("alice"), "large-instances", request("<b>web-1</b>", requesterOf(requestId)));

        // when
        OutgoingMail mail = composer.composeForApprover(event, "bob@example.com");

        // then
        assertThat(mail.recipient()).isEqualTo("bob@example.com");
        assertThat(mail.subject()).isEqualTo("OneClick: <b>web-1</b> (EC2 instance) for " + requesterOf(requestId)
                + " waits for your approval");
        assertThat(mail.text()).contains(requestId, "<b>web-1</b>", requesterOf(requestId), "t3.micro", "eu-west-1",
                "vpc-0a1b2c3d / subnet-0a1b2c3d", "Policy:           large-instances",
                "Approvals needed: 2", "Approved so far:  alice", "1 of the 2 approvals",
                "https://approvals.example.com/approvals");
        assertThat(mail.html()).contains("&lt;b&gt;web-1&lt;/b&gt;", "large-instances",
                "<a href=\"https://approvals.example.com/approvals\">").doesNotContain("<b>web-1</b>");
    }

    @Test
    void auroraApproverMailShowsTheParametersWithTheirLabelsAndNoEc2Fields() {
        // given
        String requestId = newRequestId();
        ApprovalRequested event = ApprovalRequested.of(requestId, List.of("alice@example.com"), 2, List.of(),
                "aurora-two", auroraRequest("orders-db", requesterOf(requestId)));

        // when
        OutgoingMail mail = composer.composeForApprover(event, "alice@example.com");

        // then
        assertThat(mail.subject()).isEqualTo("OneClick: orders-db (Aurora MySQL cluster) for " + requesterOf(requestId)
                + " waits for your approval");
        assertThat(mail.text()).containsSubsequence(
                "the Aurora MySQL cluster \"orders-db\"",
                "  Product:          Aurora MySQL cluster\n",
                "  VPC:              vpc-0a1b2c3d\n",
                "  Policy:           aurora-two\n",
                "  Aurora MySQL cluster settings:\n",
                "    Subnets:                  subnet-0a1b2c3d, subnet-1a2b3c4d\n",
                "    Instance class:           db.t4g.medium\n",
                "    Engine version:           8.0.mysql_aurora.3.08.0\n",
                "    Instances:                2\n",
                "    Database name:            orders\n",
                "    Master user name:         admin\n",
                "    Backup retention (days):  7\n",
                "https://approvals.example.com/approvals")
                .doesNotContain("Instance type", "AMI", "Key pair", "Root volume", "VPC / subnet", "password");
        assertThat(mail.html()).containsSubsequence(
                "<th align=\"left\">Product</th><td>Aurora MySQL cluster</td>",
                "<th align=\"left\">Subnets</th><td>subnet-0a1b2c3d, subnet-1a2b3c4d</td>",
                "<th align=\"left\">Backup retention (days)</th><td>7</td>",
                "<th align=\"left\">Policy</th>")
                .doesNotContain("Instance type", "Key pair", "password");
    }

    @Test
    void auroraReceivedMailShowsTheParametersWithTheirLabels() {
        // given
        String requestId = newRequestId();
        RequestSubmitted event = new RequestSubmitted(UUID.randomUUID(), requestId, Instant.now(), 1,
                auroraRequest("orders-db", requesterOf(requestId)));

        // when
        OutgoingMail mail = composer.compose(NotificationKind.RECEIVED, event);

        // then
        assertThat(mail.subject()).isEqualTo("OneClick: we received your request for orders-db (Aurora MySQL cluster)");
        assertThat(mail.text()).containsSubsequence("  Product:        Aurora MySQL cluster\n",
                "  VPC:            vpc-0a1b2c3d\n", "    Instance class:           db.t4g.medium\n",
                "    Master user name:         admin\n").doesNotContain("Instance type", "AMI", "Key pair");
        assertThat(mail.html()).contains("<th align=\"left\">Database name</th><td>orders</td>");
    }

    @Test
    void everyEmailNamesTheProduct() {
        // given
        String requestId = newRequestId();
        InstanceRequest aurora = auroraRequest("orders-db", requesterOf(requestId));
        List<OutgoingMail> mails = List.of(
                composer.compose(NotificationKind.APPROVED, RequestApproved.of(requestId, "bob", null, aurora)),
                composer.compose(NotificationKind.REJECTED, RequestRejected.of(requestId, "bob", "no", aurora)),
                composer.compose(NotificationKind.FAILED, ProvisioningFailed.of(requestId, "build", "boom", aurora)));

        // then
        assertThat(mails).allSatisfy(mail -> {
            assertThat(mail.subject()).contains("orders-db (Aurora MySQL cluster)");
            assertThat(mail.text()).contains("the Aurora MySQL cluster \"orders-db\"",
                    "Product:     Aurora MySQL cluster");
            assertThat(mail.html()).contains("<td>Aurora MySQL cluster</td>");
        });
    }

    @Test
    void aParameterThatLooksSecretIsNeverInAnEmail() {
        // given: a product whose entry (wrongly) asks for a password; the catalog has none
        Product product = new Product("db", "Database", "d", "db", List.of(), List.of(
                new Parameter("databaseName", "Database name", null, Parameter.Kind.TEXT, "^[a-z]+$", null, null, null,
                        null, "letters", null),
                new Parameter("masterPassword", "Master password", null, Parameter.Kind.TEXT, "^.+$", null, null, null,
                        null, "any", null),
                new Parameter("apiKey", "API token", null, Parameter.Kind.TEXT, "^.+$", null, null, null, null, "any",
                        null)),
                Map.of(), List.of());

        // when
        List<Map<String, String>> rows = MailComposer.parameterRows(product,
                Map.of("databaseName", "orders", "masterPassword", "hunter2", "apiKey", "abc123"));

        // then
        assertThat(rows).extracting(row -> row.get("label")).containsExactly("Database name");
        assertThat(rows.toString()).doesNotContain("hunter2", "abc123");
        assertThat(ProductCatalog.standard().products()).flatExtracting(Product::parameters)
                .allSatisfy(parameter -> assertThat(MailComposer.parameterRows(
                        new Product("p", "P", null, "p", List.of(), List.of(parameter), Map.of(), List.of()),
                        Map.of(parameter.name(), "x"))).as("catalog parameter %s", parameter.name()).hasSize(1));
    }

    @Test
    void firstRoundApproverMailSaysNobodyApprovedYet() {
        // given
        String requestId = newRequestId();
        ApprovalRequested event = ApprovalRequested.of(requestId, List.of("alice@example.com"), 1, List.of(), null,
                request("web-1", requesterOf(requestId)));

        // when
        OutgoingMail mail = composer.composeForApprover(event, "alice@example.com");

        // then
        assertThat(mail.text()).contains("Policy:           none", "Approved so far:  nobody yet")
                .doesNotContain("approvals it needs so far");
    }

    @Test
    void refusesAnApprovalsUrlThatIsNotAnAbsoluteHttpUrl() {
        // when / then
        assertThatThrownBy(() -> new MailComposer(MailTemplates.fromClasspath(), "javascript:alert(1)"))
                .hasMessageContaining("absolute http(s) URL");
    }
}
