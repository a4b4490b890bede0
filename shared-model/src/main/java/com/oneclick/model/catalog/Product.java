package com.oneclick.model.catalog;

import com.oneclick.model.InstanceRequest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A product of the catalog: what a request for it holds and how it becomes a Terraform stack. Read
 * from {@code products.json}; see {@link ProductCatalog}.
 *
 * @param name          what a request's {@code product} says, e.g. {@code aurora-mysql}
 * @param title         what people read, e.g. "Aurora MySQL cluster"
 * @param description   one or two sentences for the form
 * @param module        the module directory under {@code terraform/local} and {@code terraform/aws}
 * @param requestFields the product-specific fields of {@link InstanceRequest} it uses (from
 *                      {@link #PRODUCT_FIELDS}); the others must be left out of its requests
 * @param parameters    its own parameters, carried in {@code InstanceRequest.parameters}
 * @param variables     Terraform variable → where its value comes from, in the module's order
 * @param outputs       the module outputs reported, in the order emails and pages show them
 */
public record Product(String name, String title, String description, String module, List<String> requestFields,
                      List<Parameter> parameters, Map<String, String> variables, List<Output> outputs) {

    /** The fields of {@link InstanceRequest} that only some products use (all products use the others). */
    public static final List<String> PRODUCT_FIELDS = List.of("subnetId", "instanceType", "amiId", "keyName",
            "rootVolumeGiB");

    /** The request fields a variable may come from ({@code request.<field>}). */
    static final Set<String> REQUEST_SOURCES = Set.of("name", "requesterEmail", "region", "vpcId", "subnetId",
            "instanceType", "amiId", "keyName", "rootVolumeGiB", "securityGroupIds", "tags");

    public Product {
        Objects.requireNonNull(name, "a product needs a name");
        requestFields = requestFields == null ? List.of() : List.copyOf(requestFields);
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        variables = variables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** True when requests for this product carry the given product-specific field. */
    public boolean uses(String requestField) {
        return requestFields.contains(requestField);
    }

    public Optional<Parameter> parameter(String parameterName) {
        return parameters.stream().filter(p -> p.name().equals(parameterName)).findFirst();
    }

    /** The output that carries the resource's ID ({@code instance_id} for EC2). */
    public Output idOutput() {
        return role(Output.ID);
    }

    /** The output that carries the resource's Name tag. */
    public Output nameOutput() {
        return role(Output.NAME);
    }

    private Output role(String role) {
        return outputs.stream().filter(o -> role.equals(o.role())).findFirst()
                .orElseThrow(() -> new IllegalStateException("product " + name + " has no '" + role + "' output"));
    }

    /**
     * The module's variables for one request, in the catalog's order: what the provisioner writes as
     * {@code terraform.tfvars.json}. Values keep their types (numbers, lists, maps); {@code expiresAt}
     * is null for a request without a time-to-live.
     */
    public Map<String, Object> terraformVariables(String requestId, InstanceRequest request, String expiresAt) {
        Map<String, Object> vars = new LinkedHashMap<>();
        variables.forEach((variable, source) -> vars.put(variable, value(source, requestId, request, expiresAt)));
        return vars;
    }

    private Object value(String source, String requestId, InstanceRequest request, String expiresAt) {
        if (source.equals("requestId")) {
            return requestId;
        }
        if (source.equals("expiresAt")) {
            return expiresAt;
        }
        if (source.startsWith("parameters.")) {
            Parameter parameter = parameter(source.substring("parameters.".length())).orElseThrow();
            String text = request.parameters().get(parameter.name());
            return text == null ? null : parameter.terraformValue(text);
        }
        return switch (source.substring("request.".length())) {
            case "name" -> request.name();
            case "requesterEmail" -> request.requesterEmail();
            case "region" -> request.region();
            case "vpcId" -> request.vpcId();
            case "subnetId" -> request.subnetId();
            case "instanceType" -> request.instanceType();
            case "amiId" -> request.amiId();
            case "keyName" -> request.keyName();
            case "rootVolumeGiB" -> request.rootVolumeGiB();
            case "securityGroupIds" -> request.securityGroupIds();
            case "tags" -> request.tags();
            default -> throw new IllegalStateException("unknown variable source " + source);
        };
    }

    /** What is inconsistent in this entry; empty when it can be used. Checked when the catalog loads. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (title == null || module == null || !module.matches("^[a-z0-9][a-z0-9-]*$")) {
            problems.add("needs a title and a module directory name (lowercase letters, digits, hyphens)");
        }
        requestFields.stream().filter(f -> !PRODUCT_FIELDS.contains(f))
                .forEach(f -> problems.add("requestFields: " + f + " is not one of " + PRODUCT_FIELDS));
        for (Parameter parameter : parameters) {
            if (parameter.defaultValue() != null && !parameter.check(parameter.defaultValue()).isEmpty()) {
                problems.add("parameter " + parameter.name() + ": its default breaks its own rule");
            }
        }
        variables.forEach((variable, source) -> {
            boolean known = source.equals("requestId") || source.equals("expiresAt")
                    || (source.startsWith("request.") && REQUEST_SOURCES.contains(source.substring(8)))
                    || (source.startsWith("parameters.") && parameter(source.substring(11)).isPresent());
            if (!known) {
                problems.add("variable " + variable + ": unknown source " + source);
            }
        });
        if (outputs.stream().filter(o -> Output.ID.equals(o.role())).count() != 1
                || outputs.stream().filter(o -> Output.NAME.equals(o.role())).count() != 1) {
            problems.add("needs exactly one output with role 'id' and one with role 'name'");
        }
        return problems;
    }
}
