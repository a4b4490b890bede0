package com.oneclick.notifier.mail;

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
import java.util.List;
import java.util.UUID;

import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.request;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailComposerTest {

    private static final String SIMULATED_LINE =
            "This instance was simulated by the local build: no cloud resource was created.";

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
        assertThat(mail.subject()).isEqualTo("OneClick: we received your request for web-1");
        assertThat(mail.text()).contains(requestId, "t3.micro", "vpc-0a1b2c3d", "subnet-0a1b2c3d", "dev-key");
        assertThat(mail.html()).contains(requestId, "t3.micro");
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
        assertThat(mail.subject()).isEqualTo("OneClick: <b>web-1</b> for " + requesterOf(requestId)
                + " waits for your approval");
        assertThat(mail.text()).contains(requestId, "<b>web-1</b>", requesterOf(requestId), "t3.micro", "eu-west-1",
                "vpc-0a1b2c3d / subnet-0a1b2c3d", "Policy:           large-instances",
                "Approvals needed: 2", "Approved so far:  alice", "1 of the 2 approvals",
                "https://approvals.example.com/approvals");
        assertThat(mail.html()).contains("&lt;b&gt;web-1&lt;/b&gt;", "large-instances",
                "<a href=\"https://approvals.example.com/approvals\">").doesNotContain("<b>web-1</b>");
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
