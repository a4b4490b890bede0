package com.oneclick.request.web;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import com.oneclick.request.web.RequestForm.TagRow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns what the form posted into an {@link InstanceRequest}, and the rules' violations back into
 * messages per form field. The rules themselves are {@link RequestValidator}'s (applied by the
 * intake); this class only knows the form's own shapes: a number typed as text, security groups
 * in one line, tags as rows, an operating system instead of an AMI ID, an empty time-to-live for none.
 * Which EC2 fields and which parameters a request takes is the product's ({@link ProductCatalog}):
 * only the fields the product uses are read, and its parameters are passed on as typed.
 */
final class FormMapping {

    static final String NOT_A_NUMBER = "must be a whole number of GiB, e.g. 20";
    static final String NOT_A_NUMBER_OF_HOURS = "must be a whole number of hours, e.g. 24 for a day; leave it "
            + "empty for no expiry";
    static final String KEY_MATERIAL = "looks like a private key. Never paste key material: give the name of an "
            + "existing EC2 key pair under 'Key pair name'; the value was not stored and has been cleared";
    /** The same, for a product without a key pair. */
    static final String KEY_MATERIAL_NO_KEY_PAIR = "looks like a private key. Never paste key material: "
            + "the value was not stored and has been cleared";

    private final FormProperties properties;

    FormMapping(FormProperties properties) {
        this.properties = properties;
    }

    /** The request the form describes, and what the form itself found wrong before the rules ran. */
    record Mapped(InstanceRequest request, List<FieldViolation> formViolations) {
    }

    /**
     * Maps the form. A value that looks like a private key is reported (in keyName the rules' own
     * message comes first); {@link #clearKeyMaterial} removes it before the form is shown again.
     */
    Mapped map(RequestForm form) {
        List<FieldViolation> violations = new ArrayList<>();
        String productName = productName(form);
        Optional<Product> product = ProductCatalog.standard().find(productName);
        refuseKeyMaterial(form, product, violations);

        Integer rootVolume = null;
        String volume = uses(product, "rootVolumeGiB") ? form.getRootVolumeGiB() : null;
        if (volume != null && !volume.isBlank()) {
            try {
                rootVolume = Integer.valueOf(volume.strip());
            } catch (NumberFormatException e) {
                violations.add(new FieldViolation("rootVolumeGiB", NOT_A_NUMBER));
            }
        }

        Integer timeToLive = null;
        String hours = form.getTimeToLiveHours();
        if (hours != null && !hours.isBlank()) {
            try {
                timeToLive = Integer.valueOf(hours.strip());
            } catch (NumberFormatException e) {
                violations.add(new FieldViolation("timeToLiveHours", NOT_A_NUMBER_OF_HOURS));
            }
        }

        List<String> groups = form.getSecurityGroupIds() == null || form.getSecurityGroupIds().isBlank()
                ? List.of()
                : Arrays.stream(form.getSecurityGroupIds().strip().split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();

        Map<String, String> tags = new LinkedHashMap<>();
        List<TagRow> rows = form.getTags();
        for (int i = 0; i < rows.size(); i++) {
            TagRow row = rows.get(i);
            if (row == null || row.isBlank()) {
                continue;
            }
            String key = row.getKey() == null ? "" : row.getKey().strip();
            if (tags.containsKey(key)) {
                violations.add(new FieldViolation("tags[" + i + "]", "this tag key is given twice"));
            } else {
                tags.put(key, row.getValue() == null ? "" : row.getValue());
            }
        }

        String amiId = null;
        if (uses(product, "amiId")) {
            amiId = blankToNull(form.getAmiId());
            if (amiId == null) {
                amiId = amiOfImage(form, violations);
            }
        }

        Map<String, String> parameters = new LinkedHashMap<>();
        product.ifPresent(p -> p.parameters().forEach(parameter ->
                parameters.put(parameter.name(), form.getParameters().get(parameter.name()))));

        InstanceRequest request = new InstanceRequest(form.getName(), form.getRequesterEmail(), form.getRegion(),
                form.getVpcId(), uses(product, "subnetId") ? form.getSubnetId() : null,
                uses(product, "instanceType") ? form.getInstanceType() : null, amiId,
                uses(product, "keyName") ? form.getKeyName() : null, rootVolume, groups, tags, timeToLive,
                productName, parameters);
        return new Mapped(request, violations);
    }

    /** The product the form was drawn for; a form without one (drawn before products existed) is EC2's. */
    static String productName(RequestForm form) {
        return form.getProduct() == null || form.getProduct().isBlank() ? ProductCatalog.DEFAULT_PRODUCT
                : form.getProduct().strip();
    }

    private static boolean uses(Optional<Product> product, String field) {
        return product.map(p -> p.uses(field)).orElse(false);
    }

    /** True for the messages that say a value was key material (and has been cleared). */
    static boolean isKeyMaterialMessage(String message) {
        return KEY_MATERIAL.equals(message) || KEY_MATERIAL_NO_KEY_PAIR.equals(message);
    }

    private String amiOfImage(RequestForm form, List<FieldViolation> violations) {
        String imageId = blankToNull(form.getImage());
        if (imageId == null) {
            return null;
        }
        Optional<FormProperties.Image> image = properties.images().stream()
                .filter(candidate -> candidate.id().equals(imageId)).findFirst();
        if (image.isEmpty()) {
            violations.add(new FieldViolation("image", "choose one of the listed operating systems"));
            return null;
        }
        String region = form.getRegion() == null ? "" : form.getRegion().strip();
        String ami = image.get().amis().get(region);
        if (ami == null && !region.isEmpty()) {
            violations.add(new FieldViolation("image", "no " + image.get().label() + " image is configured for "
                    + region + "; choose another operating system or region, or give an AMI ID"));
        }
        return ami;
    }

    /**
     * Messages per form field (several for one field joined), keyed as the template asks:
     * {@code name}, ..., {@code image}, {@code tags[<row>]}, {@code tags}.
     */
    Map<String, String> messagesByField(RequestForm form, List<FieldViolation> violations) {
        Map<String, String> messages = new LinkedHashMap<>();
        boolean amiTyped = blankToNull(form.getAmiId()) != null;
        boolean imageExplained = violations.stream().anyMatch(v -> v.field().equals("image"));
        for (FieldViolation violation : violations) {
            String field = violation.field();
            String message = violation.message();
            if (field.startsWith("securityGroupIds[")) {
                int index = Integer.parseInt(field.substring("securityGroupIds[".length(), field.length() - 1));
                message = "entry " + (index + 1) + " " + message;
                field = "securityGroupIds";
            } else if (field.startsWith("tags[") && !field.matches("tags\\[\\d+]")) {
                field = tagRowField(form, field.substring("tags[".length(), field.length() - 1));
            } else if (field.equals("amiId") && !amiTyped) {
                field = "image";
                if (message.equals("is required")) {
                    if (imageExplained) {
                        continue; // the choice's own message says why there is no AMI
                    }
                    message = "choose an operating system, or give an AMI ID below";
                }
            }
            messages.merge(field, message, (a, b) -> a + "; " + b);
        }
        return messages;
    }

    private static String tagRowField(RequestForm form, String key) {
        List<TagRow> rows = form.getTags();
        for (int i = 0; i < rows.size(); i++) {
            TagRow row = rows.get(i);
            if (row != null && !row.isBlank() && key.equals(row.getKey() == null ? "" : row.getKey().strip())) {
                return "tags[" + i + "]";
            }
        }
        return "tags";
    }

    /** One violation per form field that holds something that looks like a private key. */
    private static void refuseKeyMaterial(RequestForm form, Optional<Product> product,
                                          List<FieldViolation> violations) {
        String message = uses(product, "keyName") ? KEY_MATERIAL : KEY_MATERIAL_NO_KEY_PAIR;
        textFields(form).forEach((field, value) -> {
            if (RequestValidator.looksLikePrivateKey(value.get())) {
                violations.add(new FieldViolation(field, message));
            }
        });
        form.getParameters().forEach((name, value) -> {
            if (RequestValidator.looksLikePrivateKey(value) && !RequestValidator.looksLikePrivateKey(name)) {
                violations.add(new FieldViolation("parameters[" + name + "]", message));
            }
        });
        List<TagRow> rows = form.getTags();
        for (int i = 0; i < rows.size(); i++) {
            TagRow row = rows.get(i);
            if (row != null && (RequestValidator.looksLikePrivateKey(row.getKey())
                    || RequestValidator.looksLikePrivateKey(row.getValue()))) {
                violations.add(new FieldViolation("tags[" + i + "]", message));
            }
        }
    }

    /**
     * Empties every value that looks like a private key, so the page shown again never carries
     * it back to the browser.
     */
    static void clearKeyMaterial(RequestForm form) {
        if (RequestValidator.looksLikePrivateKey(form.getName())) {
            form.setName(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getRequesterEmail())) {
            form.setRequesterEmail(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getRegion())) {
            form.setRegion(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getVpcId())) {
            form.setVpcId(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getSubnetId())) {
            form.setSubnetId(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getInstanceType())) {
            form.setInstanceType(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getImage())) {
            form.setImage(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getAmiId())) {
            form.setAmiId(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getKeyName())) {
            form.setKeyName(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getRootVolumeGiB())) {
            form.setRootVolumeGiB(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getSecurityGroupIds())) {
            form.setSecurityGroupIds(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getTimeToLiveHours())) {
            form.setTimeToLiveHours(null);
        }
        if (RequestValidator.looksLikePrivateKey(form.getProduct())) {
            form.setProduct(null);
        }
        form.getParameters().entrySet().removeIf(parameter -> RequestValidator.looksLikePrivateKey(parameter.getKey()));
        form.getParameters().replaceAll((name, value) -> RequestValidator.looksLikePrivateKey(value) ? null : value);
        List<TagRow> rows = form.getTags();
        for (int i = 0; i < rows.size(); i++) {
            TagRow row = rows.get(i);
            if (row != null && (RequestValidator.looksLikePrivateKey(row.getKey())
                    || RequestValidator.looksLikePrivateKey(row.getValue()))) {
                rows.set(i, new TagRow());
            }
        }
    }

    private static Map<String, Supplier<String>> textFields(RequestForm form) {
        Map<String, Supplier<String>> fields = new LinkedHashMap<>();
        fields.put("name", form::getName);
        fields.put("requesterEmail", form::getRequesterEmail);
        fields.put("region", form::getRegion);
        fields.put("vpcId", form::getVpcId);
        fields.put("subnetId", form::getSubnetId);
        fields.put("instanceType", form::getInstanceType);
        fields.put("image", form::getImage);
        fields.put("amiId", form::getAmiId);
        fields.put("keyName", form::getKeyName);
        fields.put("rootVolumeGiB", form::getRootVolumeGiB);
        fields.put("securityGroupIds", form::getSecurityGroupIds);
        fields.put("timeToLiveHours", form::getTimeToLiveHours);
        fields.put("product", form::getProduct);
        return fields;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
