package com.oneclick.notifier.mail;

import com.oneclick.model.InstanceRequest;
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

    public MailComposer(MailTemplates templates) {
        this.templates = templates;
    }

    public OutgoingMail compose(NotificationKind kind, RequestEvent event) {
        if (!(event instanceof CarriesRequest carrier)) {
            throw new IllegalArgumentException(event.type().wireName() + " carries no request to notify about");
        }
        Map<String, Object> model = model(event, carrier.request());
        MailTemplates.Set set = templates.of(kind);
        return new OutgoingMail(
                HeaderValues.address(carrier.request().requesterEmail()),
                HeaderValues.singleLine(set.subject().render(model, UnaryOperator.identity())),
                set.text().render(model, UnaryOperator.identity()),
                set.html().render(model, Html::escape));
    }

    private static Map<String, Object> model(RequestEvent event, InstanceRequest request) {
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
        if (event instanceof RequestApproved approved) {
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

    private static String orNotReported(String value) {
        return isBlank(value) ? NOT_REPORTED : value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
