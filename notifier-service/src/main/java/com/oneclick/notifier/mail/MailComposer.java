package com.oneclick.notifier.mail;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.CarriesRequest;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.notifier.NotificationKind;
import com.oneclick.notifier.OutgoingMail;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Turns an event into the email for its notification kind: the values the templates may use, the
 * subject as a single header-safe line, the plain-text part as is and the HTML part with every
 * value escaped.
 */
public final class MailComposer {

    static final String NOT_REPORTED = "not reported";

    private final MailTemplates templates;
    private final String approvalsUrl;

    /**
     * @param approvalsUrl the approvals page linked from approver emails; must be an absolute
     *                     http(s) URL (checked here, so a configuration mistake fails at start)
     */
    public MailComposer(MailTemplates templates, String approvalsUrl) {
        this.templates = templates;
        this.approvalsUrl = checkedUrl(approvalsUrl);
    }

    /** The email asking one approver to decide a request that waits for them. */
    public OutgoingMail composeForApprover(ApprovalRequested event, String approverEmail) {
        Map<String, Object> model = model(event, event.request());
        MailTemplates.Set set = templates.of(NotificationKind.APPROVAL_REQUESTED);
        return new OutgoingMail(
                HeaderValues.address(approverEmail),
                HeaderValues.singleLine(set.subject().render(model, UnaryOperator.identity())),
                set.text().render(model, UnaryOperator.identity()),
                set.html().render(model, Html::escape));
    }

    public OutgoingMail compose(NotificationKind kind, RequestEvent event) {
        if (!(event instanceof CarriesRequest carrier)) {
            throw new IllegalArgumentException(event.type().wireName() + " carries no request to notify about");
        }
        if (kind.toApprovers()) {
            throw new IllegalArgumentException(kind + " goes to the approvers: use composeForApprover");
        }
        Map<String, Object> model = model(event, carrier.request());
        MailTemplates.Set set = templates.of(kind);
        return new OutgoingMail(
                HeaderValues.address(carrier.request().requesterEmail()),
                HeaderValues.singleLine(set.subject().render(model, UnaryOperator.identity())),
                set.text().render(model, UnaryOperator.identity()),
                set.html().render(model, Html::escape));
    }

    private Map<String, Object> model(RequestEvent event, InstanceRequest request) {
        Map<String, Object> model = new HashMap<>();
        model.put("requestId", event.requestId());
        model.put("name", request.name());
        model.put("requesterEmail", request.requesterEmail());
        model.put("region", request.region());
        model.put("vpcId", request.vpcId());
        model.put("subnetId", request.subnetId());
        model.put("instanceType", request.instanceType());
        model.put("amiId", request.amiId());
        model.put("keyName", request.keyName());
        model.put("rootVolumeGiB", request.rootVolumeGiB() == null ? NOT_REPORTED : request.rootVolumeGiB());
        if (event instanceof ApprovalRequested waiting) {
            model.put("policy", isBlank(waiting.policy()) ? "none" : waiting.policy());
            model.put("requiredApprovals", waiting.requiredApprovals());
            model.put("approvalsSoFar", waiting.approvedBy().size());
            model.put("approvedSoFar", waiting.approvedBy().isEmpty() ? "nobody yet"
                    : String.join(", ", waiting.approvedBy()));
            model.put("laterRound", !waiting.approvedBy().isEmpty());
            model.put("approvalsUrl", approvalsUrl);
        } else if (event instanceof RequestApproved approved) {
            model.put("approvedBy", approved.approvedBy());
            model.put("comment", approved.comment());
        } else if (event instanceof RequestRejected rejected) {
            model.put("rejectedBy", rejected.rejectedBy());
            model.put("reason", orNotReported(rejected.reason()));
        } else if (event instanceof InstanceProvisioned provisioned) {
            model.put("instanceName", isBlank(provisioned.instanceName()) ? request.name() : provisioned.instanceName());
            model.put("instanceId", orNotReported(provisioned.instanceId()));
            model.put("privateIp", orNotReported(provisioned.privateIp()));
            model.put("availabilityZone", orNotReported(provisioned.availabilityZone()));
            model.put("simulated", provisioned.simulated());
            model.put("commitId", provisioned.commitId());
            model.put("buildId", provisioned.buildId());
        } else if (event instanceof ProvisioningFailed failed) {
            model.put("phase", orNotReported(failed.phase()));
            model.put("reason", orNotReported(failed.reason()));
        }
        return model;
    }

    private static String checkedUrl(String url) {
        if (url == null || !url.matches("(?i)https?://[^\\s\"'<>]+")) {
            throw new IllegalArgumentException("the approvals URL must be an absolute http(s) URL, not '" + url + "'");
        }
        return url;
    }

    private static String orNotReported(String value) {
        return isBlank(value) ? NOT_REPORTED : value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
