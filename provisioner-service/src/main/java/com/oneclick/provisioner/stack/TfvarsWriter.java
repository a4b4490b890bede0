package com.oneclick.provisioner.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.oneclick.model.catalog.Product;
import com.oneclick.provisioner.inventory.InventoryRow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row as its stack's files: {@code terraform.tfvars.json}, the variables of its product's module
 * (the catalog entry's {@code variables}, in their order, through {@link Product#terraformVariables}),
 * and {@code stack.json}, which names the product and its module
 * ({@code {"product": "aurora-mysql", "module": "aurora-mysql"}}) so a build that only has the
 * repository (CodeBuild's {@code apply-stacks.sh}) knows which module applies the stack.
 *
 * <p>JSON written by Jackson, never HCL, so no user string can become Terraform code: a name like
 * {@code "} resource "x" {} is a JSON string like any other.
 *
 * <p>{@code expires_at} is the row's {@code createdAt} (when the provisioner recorded the approval)
 * plus the request's time-to-live, RFC 3339 UTC to the second, or JSON {@code null} without a
 * time-to-live. It derives only from the row, so writing a row again gives the same bytes and a
 * re-push makes no new commit. OneClick destroys nothing: the modules tag the resource with it
 * ({@code oneclick:expires-at}) for the platform's clean-up.
 */
public final class TfvarsWriter implements StackWriter {

    public static final String FILE_NAME = "terraform.tfvars.json";
    /** The stack's product and module. */
    public static final String STACK_FILE = "stack.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectWriter WRITER = MAPPER.writer(
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    /**
     * @throws IllegalArgumentException when the row's product is not in the catalog
     */
    @Override
    public Map<String, byte[]> stackFiles(InventoryRow row) {
        Product product = product(row);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(FILE_NAME, tfvars(row).getBytes(StandardCharsets.UTF_8));
        files.put(STACK_FILE, stackJson(product).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** The variables file, keys in the module's variable order (the catalog's), ending with a newline. */
    public String tfvars(InventoryRow row) {
        return json(product(row).terraformVariables(row.requestId(), row.request(), expiresAt(row)));
    }

    /** {@code stack.json}: the product's name and its module directory, ending with a newline. */
    public String stackJson(Product product) {
        Map<String, Object> stack = new LinkedHashMap<>();
        stack.put("product", product.name());
        stack.put("module", product.module());
        return json(stack);
    }

    /** When the resource expires, {@code 2026-01-12T10:05:00Z}; null when the request has no time-to-live. */
    public static String expiresAt(InventoryRow row) {
        Instant expires = row.expiresAt();
        // ISO-8601 in UTC with a Z: an RFC 3339 timestamp, no fraction once truncated to the second
        return expires == null ? null : expires.toString();
    }

    private static Product product(InventoryRow row) {
        return row.request().catalogProduct().orElseThrow(() -> new IllegalArgumentException("request "
                + row.requestId() + " is for the product '" + row.request().product() + "', which the catalog does "
                + "not have"));
    }

    private static String json(Map<String, Object> document) {
        try {
            return WRITER.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a stack file", e);
        }
    }
}
