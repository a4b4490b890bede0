package com.oneclick.notifier.mail;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.catalog.LabelledValue;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.CarriesRequest;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.notifier.NotificationKind;
import com.oneclick.notifier.OutgoingMail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns an event into the email for its notification kind: the values the templates may use, the
 * subject as a single header-safe line, the plain-text part as is and the HTML part with every
 * value escaped.
 *
 * <p>What an email says about the product comes from shared-model's catalog, not from code per
 * product: its title ({@code productTitle}), which EC2 fields the request has ({@code usesSubnetId},
 * {@code usesInstanceType}, {@code usesAmiId}, {@code usesKeyName}, {@code usesRootVolumeGiB}), its
 * parameters with their labels ({@code parameters}) and, once provisioned, its outputs with their
 * labels ({@code outputs}), each in the catalog's order.
 */
public final class MailComposer {

    static final String NOT_REPORTED = "not reported";

    /** Names and labels of values that must never be in an email. */
    private static final Pattern SECRET =
            Pattern.compile("(?i)password|passwd|secret|token|private.?key|credential");

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
        Optional<Product> product = request.catalogProduct();
        model.put("requestId", event.requestId());
        model.put("product", request.product());
        model.put("productTitle", product.map(Product::title).orElse(request.product()));
        for (String field : Product.PRODUCT_FIELDS) {
            model.put("uses" + Character.toUpperCase(field.charAt(0)) + field.substring(1),
                    product.map(p -> p.uses(field)).orElse(ec2Value(request, field) != null));
        }
        List<Map<String, String>> parameters = product.map(p -> parameterRows(p, request.parameters()))
                .orElse(List.of());
        model.put("parameters", parameters);
        model.put("hasParameters", !parameters.isEmpty());
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
            model.put("outputs", outputRows(product, provisioned.outputs()));
            model.put("simulated", provisioned.simulated());
            model.put("commitId", provisioned.commitId());
            model.put("buildId", provisioned.buildId());
        } else if (event instanceof ProvisioningFailed failed) {
            model.put("phase", orNotReported(failed.phase()));
            model.put("reason", orNotReported(failed.reason()));
        }
        return model;
    }

    /**
     * The product's parameters that the request carries, with the catalog's labels, in the catalog's
     * order: {@code label}, {@code value} (a list as {@code a, b}) and {@code textLabel} (the label
     * with its colon, padded so the plain-text values line up). Parameters the catalog does not
     * list are left out, and so is any parameter whose name or label speaks of a password, secret,
     * token, private key or credential: such a value must never be in an email (the catalog has
     * none; the master password of a cluster stays in AWS Secrets Manager).
     */
    static List<Map<String, String>> parameterRows(Product product, Map<String, String> values) {
        List<String[]> rows = new ArrayList<>();
        for (LabelledValue parameter : LabelledValue.parameters(Optional.of(product), values)) {
            if (parameter.listed() && parameter.value() != null && !SECRET.matcher(parameter.name()).find()
                    && !SECRET.matcher(parameter.label()).find()) {
                rows.add(new String[] {parameter.label(), parameter.value()});
            }
        }
        return labelled(rows);
    }

    /**
     * The outputs of a provisioned event as labelled rows: in the catalog's order with its labels,
     * then any output the catalog does not list under its own name. Empty for events written before
     * outputs existed (the templates then show the instance ID, name, IP and zone as before).
     */
    static List<Map<String, String>> outputRows(Optional<Product> product, Map<String, String> outputs) {
        if (outputs.isEmpty()) {
            return List.of();
        }
        return labelled(LabelledValue.outputs(product, outputs).stream()
                .map(output -> new String[] {output.label(), orNotReported(output.value())}).toList());
    }

    private static List<Map<String, String>> labelled(List<String[]> rows) {
        int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0) + 3;
        List<Map<String, String>> labelled = new ArrayList<>();
        for (String[] row : rows) {
            labelled.add(Map.of("label", row[0], "value", row[1],
                    "textLabel", String.format("%-" + width + "s", row[0] + ":")));
        }
        return List.copyOf(labelled);
    }

    private static Object ec2Value(InstanceRequest request, String field) {
        return switch (field) {
            case "subnetId" -> request.subnetId();
            case "instanceType" -> request.instanceType();
            case "amiId" -> request.amiId();
            case "keyName" -> request.keyName();
            case "rootVolumeGiB" -> request.rootVolumeGiB();
            default -> null;
        };
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
