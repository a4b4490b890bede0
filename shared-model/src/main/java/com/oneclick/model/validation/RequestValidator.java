package com.oneclick.model.validation;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.InstanceType;
import com.oneclick.model.catalog.Parameter;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules for a request's fields, in one place: the common fields here, the product's own
 * parameters by their rules in the {@link ProductCatalog}. The REST API, the web form and every consumer of
 * an event that carries a request use this class; nothing else decides what a valid request is.
 */
public final class RequestValidator {

    public static final int NAME_MAX = 128;
    public static final int EMAIL_MAX = 254;
    public static final int KEY_NAME_MAX = 255;
    public static final int ROOT_VOLUME_MIN_GIB = 8;
    public static final int ROOT_VOLUME_MAX_GIB = 2048;
    public static final int SECURITY_GROUPS_MAX = 5;
    public static final int TAGS_MAX = 40;
    public static final int TAG_KEY_MAX = 128;
    public static final int TAG_VALUE_MAX = 256;
    public static final int TIME_TO_LIVE_MIN_HOURS = 1;
    /** 90 days. */
    public static final int TIME_TO_LIVE_MAX_HOURS = 2160;
    /** The tag that carries an instance's expiry (RFC 3339 UTC) when the request has a time-to-live. */
    public static final String EXPIRES_AT_TAG = "oneclick:expires-at";

    /** Tag keys the platform sets itself on every instance. */
    public static final List<String> RESERVED_TAG_KEYS = List.of("Name", "oneclick:request-id", "oneclick:requester",
            "managed-by", EXPIRES_AT_TAG);

    static final Pattern REGION = Pattern.compile("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9]$");
    static final Pattern VPC_ID = awsId("vpc");
    static final Pattern SUBNET_ID = awsId("subnet");
    static final Pattern AMI_ID = awsId("ami");
    static final Pattern SECURITY_GROUP_ID = awsId("sg");
    static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    /** EC2 key pair names: printable ASCII. */
    static final Pattern KEY_NAME = Pattern.compile("^[\\x20-\\x7E]+$");
    static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** A DER key pasted as bare base64 (what is left of a PEM block without its armour lines). */
    static final Pattern BASE64_DER_KEY = Pattern.compile("^MII[A-Za-z0-9+/=\\s]{60,}$");

    private RequestValidator() {
    }

    /** All the violations of a request; empty when the request is valid. */
    public static List<FieldViolation> validate(InstanceRequest request) {
        List<FieldViolation> errors = new ArrayList<>();
        if (request == null) {
            errors.add(new FieldViolation("request", "is required"));
            return errors;
        }
        Optional<Product> product = ProductCatalog.standard().find(request.product());
        if (product.isEmpty()) {
            errors.add(new FieldViolation("product", "must be one of the catalog's products: "
                    + String.join(", ", ProductCatalog.standard().names())));
        }
        text(errors, "name", request.name(), NAME_MAX);
        email(errors, request.requesterEmail());
        pattern(errors, "region", request.region(), REGION, "must be an AWS region code such as eu-west-1");
        pattern(errors, "vpcId", request.vpcId(), VPC_ID,
                "must be a VPC ID: 'vpc-' followed by 8 or 17 lowercase hex digits, e.g. vpc-0a1b2c3d");
        product.ifPresent(p -> productFields(errors, p, request));
        securityGroups(errors, request.securityGroupIds());
        tags(errors, request.tags());
        timeToLive(errors, request.timeToLiveHours());
        product.ifPresent(p -> parameters(errors, p, request.parameters()));
        return errors;
    }

    /** The EC2 fields: checked when the product uses them, refused when it does not (they would be ignored). */
    private static void productFields(List<FieldViolation> errors, Product product, InstanceRequest request) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("subnetId", request.subnetId());
        values.put("instanceType", request.instanceType());
        values.put("amiId", request.amiId());
        values.put("keyName", request.keyName());
        values.put("rootVolumeGiB", request.rootVolumeGiB());
        values.forEach((field, value) -> {
            if (!product.uses(field) && value != null) {
                errors.add(new FieldViolation(field, "is not used by the " + product.title()
                        + " product; leave it out"));
            }
        });
        if (product.uses("subnetId")) {
            pattern(errors, "subnetId", request.subnetId(), SUBNET_ID,
                    "must be a subnet ID: 'subnet-' followed by 8 or 17 lowercase hex digits, e.g. subnet-0a1b2c3d");
        }
        if (product.uses("instanceType")) {
            instanceType(errors, request.instanceType());
        }
        if (product.uses("amiId")) {
            pattern(errors, "amiId", request.amiId(), AMI_ID,
                    "must be an AMI ID: 'ami-' followed by 8 or 17 lowercase hex digits, e.g. ami-0a1b2c3d4e5f67890");
        }
        if (product.uses("keyName")) {
            keyName(errors, request.keyName());
        }
        if (product.uses("rootVolumeGiB")) {
            rootVolume(errors, request.rootVolumeGiB());
        }
    }

    /** The product's own parameters: each one required and checked by its rule; no others. */
    private static void parameters(List<FieldViolation> errors, Product product, Map<String, String> values) {
        for (String key : values.keySet()) {
            if (key == null || product.parameter(key).isEmpty()) {
                errors.add(new FieldViolation("parameters[" + key + "]", "is not a parameter of the "
                        + product.title() + " product" + (product.parameters().isEmpty() ? ""
                        : " (its parameters: " + product.parameters().stream().map(Parameter::name)
                        .collect(Collectors.joining(", ")) + ")")));
            } else if (looksLikePrivateKey(values.get(key))) {
                errors.add(new FieldViolation("parameters[" + key + "]", "looks like a private key; OneClick "
                        + "never takes key material, and the value was not stored"));
            }
        }
        for (Parameter parameter : product.parameters()) {
            String value = values.get(parameter.name());
            if (!looksLikePrivateKey(value)) {
                errors.addAll(parameter.check(value));
            }
        }
    }

    public static boolean isValid(InstanceRequest request) {
        return validate(request).isEmpty();
    }

    /** True when a value looks like PEM key material rather than the name of a key pair. */
    public static boolean looksLikePrivateKey(String value) {
        if (value == null) {
            return false;
        }
        String upper = value.toUpperCase(java.util.Locale.ROOT);
        return upper.contains("-----BEGIN") || upper.contains("PRIVATE KEY") || BASE64_DER_KEY.matcher(value).matches();
    }

    private static Pattern awsId(String prefix) {
        return Pattern.compile("^" + prefix + "-([0-9a-f]{8}|[0-9a-f]{17})$");
    }

    private static boolean missing(List<FieldViolation> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldViolation(field, "is required"));
            return true;
        }
        return false;
    }

    private static void text(List<FieldViolation> errors, String field, String value, int max) {
        if (missing(errors, field, value)) {
            return;
        }
        if (value.length() > max) {
            errors.add(new FieldViolation(field, "must be at most " + max + " characters"));
        } else if (CONTROL.matcher(value).find()) {
            errors.add(new FieldViolation(field, "must not contain line breaks or control characters"));
        }
    }

    /** The platform's rule for an email address (the requester's, an approver's). */
    public static boolean isEmail(String value) {
        return value != null && value.length() <= EMAIL_MAX && EMAIL.matcher(value).matches();
    }

    private static void email(List<FieldViolation> errors, String value) {
        if (missing(errors, "requesterEmail", value)) {
            return;
        }
        if (!isEmail(value)) {
            errors.add(new FieldViolation("requesterEmail", "must be an email address such as dev@example.com"));
        }
    }

    private static void pattern(List<FieldViolation> errors, String field, String value, Pattern pattern,
                                String message) {
        if (missing(errors, field, value)) {
            return;
        }
        if (!pattern.matcher(value).matches()) {
            errors.add(new FieldViolation(field, message));
        }
    }

    private static void instanceType(List<FieldViolation> errors, String value) {
        if (missing(errors, "instanceType", value)) {
            return;
        }
        if (InstanceType.find(value).isEmpty()) {
            errors.add(new FieldViolation("instanceType", "must be one of the allowed types: "
                    + InstanceType.ALLOWED.stream().map(InstanceType::name).collect(Collectors.joining(", "))));
        }
    }

    private static void keyName(List<FieldViolation> errors, String value) {
        if (missing(errors, "keyName", value)) {
            return;
        }
        if (looksLikePrivateKey(value)) {
            errors.add(new FieldViolation("keyName", "looks like a private key. Give the name of an existing EC2 "
                    + "key pair (EC2 console > Key Pairs), never the key itself; the key was not stored"));
        } else if (value.length() > KEY_NAME_MAX || !KEY_NAME.matcher(value).matches()) {
            errors.add(new FieldViolation("keyName",
                    "must be the name of an EC2 key pair: 1 to 255 printable ASCII characters"));
        }
    }

    private static void rootVolume(List<FieldViolation> errors, Integer value) {
        if (value == null) {
            errors.add(new FieldViolation("rootVolumeGiB", "is required"));
        } else if (value < ROOT_VOLUME_MIN_GIB || value > ROOT_VOLUME_MAX_GIB) {
            errors.add(new FieldViolation("rootVolumeGiB",
                    "must be between " + ROOT_VOLUME_MIN_GIB + " and " + ROOT_VOLUME_MAX_GIB + " GiB"));
        }
    }

    private static void timeToLive(List<FieldViolation> errors, Integer hours) {
        if (hours != null && (hours < TIME_TO_LIVE_MIN_HOURS || hours > TIME_TO_LIVE_MAX_HOURS)) {
            errors.add(new FieldViolation("timeToLiveHours", "must be between " + TIME_TO_LIVE_MIN_HOURS + " and "
                    + TIME_TO_LIVE_MAX_HOURS + " hours (90 days)"));
        }
    }

    private static void securityGroups(List<FieldViolation> errors, List<String> ids) {
        if (ids.size() > SECURITY_GROUPS_MAX) {
            errors.add(new FieldViolation("securityGroupIds", "must list at most " + SECURITY_GROUPS_MAX + " groups"));
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || !SECURITY_GROUP_ID.matcher(id).matches()) {
                errors.add(new FieldViolation("securityGroupIds[" + i + "]",
                        "must be a security group ID: 'sg-' followed by 8 or 17 lowercase hex digits"));
            }
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            errors.add(new FieldViolation("securityGroupIds", "must not list a group twice"));
        }
    }

    private static void tags(List<FieldViolation> errors, Map<String, String> tags) {
        if (tags.size() > TAGS_MAX) {
            errors.add(new FieldViolation("tags", "must have at most " + TAGS_MAX + " entries"));
            return;
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            String field = "tags[" + key + "]";
            if (key == null || key.isBlank() || key.length() > TAG_KEY_MAX || CONTROL.matcher(key).find()) {
                errors.add(new FieldViolation(field, "tag keys must be 1 to " + TAG_KEY_MAX
                        + " characters without control characters"));
            } else if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                errors.add(new FieldViolation(field, "tag keys starting with 'aws:' are reserved by AWS"));
            } else if (RESERVED_TAG_KEYS.contains(key)) {
                errors.add(new FieldViolation(field, "the platform sets this tag itself"));
            } else if (tag.getValue() == null || tag.getValue().length() > TAG_VALUE_MAX
                    || CONTROL.matcher(tag.getValue()).find()) {
                errors.add(new FieldViolation(field, "tag values must be at most " + TAG_VALUE_MAX
                        + " characters without control characters"));
            }
        }
    }
}
