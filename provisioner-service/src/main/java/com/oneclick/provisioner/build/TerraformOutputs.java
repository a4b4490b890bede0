package com.oneclick.provisioner.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.oneclick.model.catalog.Output;
import com.oneclick.model.catalog.Product;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code terraform output -json} document (the {@code outputs/<id>.json} a CodeBuild build
 * exported), or the {@code outputs} of the local build's {@code terraform apply -json}, which has the same shape as the outputs the product's catalog entry lists. The module contract:
 * each of them is there, not sensitive, and a string, a number, a bool or a list of those. Outputs
 * the catalog does not list (such as {@code simulated}) are not read.
 */
final class TerraformOutputs {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private TerraformOutputs() {
    }

    /**
     * @throws IOException when the document is not JSON or an output breaks the module contract (the
     *                     message says which output and why)
     */
    static InstanceOutputs read(String json, Product product) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("terraform output is not a JSON object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Output output : product.outputs()) {
            String name = output.name();
            JsonNode entry = root.get(name);
            if (entry != null && entry.path("sensitive").asBoolean(false)) {
                // a sensitive output (a password...) is never carried into the CSV, an event or an email;
                // apply -json leaves its value out, so this comes before looking for one
                throw new IOException("terraform output '" + name + "' is sensitive; OneClick reports no secret");
            }
            JsonNode value = entry == null ? null : entry.get("value");
            if (value == null || value.isNull()) {
                throw new IOException("terraform output has no '" + name + "' (the " + product.name()
                        + " module must output " + String.join(", ", outputNames(product)) + ")");
            }
            values.put(name, text(name, value));
        }
        return new InstanceOutputs(values);
    }

    /** A string as it is, a number or bool as its JSON text, a list as its items joined with ", ". */
    private static String text(String name, JsonNode value) throws IOException {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                if (!isScalar(item)) {
                    throw new IOException("terraform output '" + name + "' is a list of " + kind(item)
                            + "s, not of strings, numbers or bools");
                }
                items.add(scalar(item));
            }
            return String.join(", ", items);
        }
        if (!isScalar(value)) {
            throw new IOException("terraform output '" + name + "' is " + kind(value)
                    + ", not a string, number, bool or list of them");
        }
        return scalar(value);
    }

    private static boolean isScalar(JsonNode value) {
        return value.isTextual() || value.isNumber() || value.isBoolean();
    }

    private static String scalar(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "a list";
            case NULL, MISSING -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static List<String> outputNames(Product product) {
        return product.outputs().stream().map(Output::name).toList();
    }
}
