package com.oneclick.request.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds private-key material anywhere in a request body, also in properties the request has no
 * place for (which would otherwise be dropped silently). A body that carries a key is refused as a
 * whole: the key is never stored, published or logged.
 */
final class KeyMaterialScan {

    static final String MESSAGE = "looks like a private key. Never send key material: give the name of an "
            + "existing EC2 key pair in keyName; the key was not stored";

    private KeyMaterialScan() {
    }

    /** One violation per JSON path (named like the validator names fields) that holds key material. */
    static List<FieldViolation> scan(JsonNode body) {
        List<FieldViolation> found = new ArrayList<>();
        scan(body, "", found);
        return found;
    }

    private static void scan(JsonNode node, String path, List<FieldViolation> found) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            if (RequestValidator.looksLikePrivateKey(node.textValue())) {
                found.add(new FieldViolation(path.isEmpty() ? "body" : path, MESSAGE));
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                String name = property.getKey();
                if (RequestValidator.looksLikePrivateKey(name)) {
                    // Never echo the key: name the containing object instead of the property.
                    found.add(new FieldViolation(path.isEmpty() ? "body" : path, MESSAGE));
                    continue;
                }
                String child = path.isEmpty() ? name
                        : "tags".equals(path) || "parameters".equals(path) ? path + "[" + name + "]"
                        : path + "." + name;
                scan(property.getValue(), child, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scan(node.get(i), path + "[" + i + "]", found);
            }
        }
    }
}
