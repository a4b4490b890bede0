package com.oneclick.approval.policy;

import com.oneclick.approval.ApprovalProperties;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.InstanceType;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The approval policies from {@code oneclick.approval.policies}, checked once at start-up. The
 * first policy (in configuration order) whose conditions all hold decides what a request needs;
 * without one, one approver decides.
 *
 * <p>{@code products} names products of shared-model's {@link ProductCatalog} (checked at start-up).
 *
 * <p>The EC2 conditions ({@code instance-types}, {@code min-vcpus}, {@code max-vcpus}) describe an
 * instance type. A request whose product has no instance type (its catalog entry does not use the
 * {@code instanceType} field, e.g. {@code aurora-mysql}) satisfies none of them, so a policy with
 * any of them never applies to it: an EC2 rule neither approves nor escalates an Aurora cluster
 * because of a value the request does not have. Such requests are matched by {@code products},
 * {@code vpc-ids} and {@code regions}. A policy whose products all lack an instance type but which
 * has an EC2 condition could never apply, and stops start-up.
 *
 * <p>vCPU counts come from shared-model's {@link InstanceType} table. An instance type it does not
 * know never satisfies {@code max-vcpus} (so it is never approved automatically because it looks
 * small) and always satisfies {@code min-vcpus} (so the stricter rule applies).
 */
public final class ApprovalPolicies {

    /** Name of the built-in expiry rule: {@code policy:expiry} rejects requests that waited too long. */
    public static final String EXPIRY = "expiry";
    public static final String AUTO_APPROVE = "auto-approve";
    public static final String REQUIRE_APPROVALS = "require-approvals";
    public static final int MAX_APPROVALS = 5;

    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    private static final Pattern TYPE_PATTERN = Pattern.compile("^[a-z0-9.*-]{1,32}$");

    private final List<Rule> rules;
    private final List<String> warnings;

    private ApprovalPolicies(List<Rule> rules, List<String> warnings) {
        this.rules = rules;
        this.warnings = warnings;
    }

    public static ApprovalPolicies none() {
        return new ApprovalPolicies(List.of(), List.of());
    }

    /** The identity recorded for a decision a policy made: {@code policy:<name>}. */
    public static String decider(String policy) {
        return "policy:" + policy;
    }

    /**
     * Checks the configuration.
     *
     * @throws IllegalStateException listing every problem
     */
    public static ApprovalPolicies from(List<ApprovalProperties.Policy> configured) {
        ProductCatalog catalog = ProductCatalog.standard();
        List<Rule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < configured.size(); i++) {
            ApprovalProperties.Policy policy = configured.get(i);
            String where = "oneclick.approval.policies[" + i + "]";
            if (policy == null) {
                continue;
            }
            String name = policy.name() == null ? "" : policy.name().strip();
            if (!NAME.matcher(name).matches()) {
                problems.add(where + ".name must be 1 to 63 lowercase letters, digits or '-'");
                continue;
            }
            where = where + " ('" + name + "')";
            if (EXPIRY.equals(name)) {
                problems.add(where + ": the name '" + EXPIRY + "' is reserved for the expiry rule");
            }
            if (!names.add(name)) {
                problems.add(where + ": the name is used twice");
            }
            String action = policy.action() == null ? "" : policy.action().strip().toLowerCase(Locale.ROOT);
            int approvals;
            if (AUTO_APPROVE.equals(action)) {
                approvals = 0;
                if (policy.approvals() != null) {
                    problems.add(where + ": approvals does not go with action " + AUTO_APPROVE);
                }
            } else if (REQUIRE_APPROVALS.equals(action)) {
                approvals = policy.approvals() == null ? 1 : policy.approvals();
                if (approvals < 1 || approvals > MAX_APPROVALS) {
                    problems.add(where + ": approvals must be 1 to " + MAX_APPROVALS);
                }
            } else {
                problems.add(where + ".action must be " + AUTO_APPROVE + " or " + REQUIRE_APPROVALS);
                continue;
            }
            ApprovalProperties.Match match = policy.match() == null
                    ? new ApprovalProperties.Match(null, null, null, null, null, null) : policy.match();
            List<String> products = new ArrayList<>();
            for (String product : match.products()) {
                String productName = product == null ? "" : product.strip().toLowerCase(Locale.ROOT);
                if (catalog.find(productName).isEmpty()) {
                    problems.add(where + ": match.products has '" + shorten(product)
                            + "', expected a product of the catalog: " + String.join(", ", catalog.names()));
                } else if (!products.contains(productName)) {
                    products.add(productName);
                }
            }
            List<Pattern> types = new ArrayList<>();
            for (String type : match.instanceTypes()) {
                String pattern = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
                if (!TYPE_PATTERN.matcher(pattern).matches()) {
                    problems.add(where + ": match.instance-types has '" + shorten(type)
                            + "', expected an instance type or a pattern such as t3.*");
                } else {
                    types.add(Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q")));
                }
            }
            List<String> vpcs = strip(match.vpcIds());
            List<String> regions = strip(match.regions());
            if (match.minVcpus() != null && match.minVcpus() < 1 || match.maxVcpus() != null && match.maxVcpus() < 1) {
                problems.add(where + ": match.min-vcpus and match.max-vcpus must be at least 1");
            }
            boolean ec2Conditions = !match.instanceTypes().isEmpty() || match.minVcpus() != null
                    || match.maxVcpus() != null;
            if (ec2Conditions && !products.isEmpty()
                    && products.stream().map(catalog::get).noneMatch(ApprovalPolicies::hasInstanceType)) {
                problems.add(where + ": match.instance-types, min-vcpus and max-vcpus never hold for "
                        + String.join(", ", products) + " (no instance type), so the policy could never apply");
            }
            boolean unconditional = products.isEmpty() && types.isEmpty() && vpcs.isEmpty() && regions.isEmpty()
                    && match.minVcpus() == null && match.maxVcpus() == null;
            if (unconditional && approvals == 0) {
                warnings.add(where + " has no match conditions: it approves EVERY request automatically");
            } else if (unconditional && i < configured.size() - 1) {
                warnings.add(where + " has no match conditions: the policies after it never apply");
            }
            rules.add(new Rule(new Requirement(name, approvals == 0, approvals), products, types, vpcs, regions,
                    match.minVcpus(), match.maxVcpus()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The approval policies are misconfigured:\n - "
                    + String.join("\n - ", problems) + "\n(see approval-service/README.md, 'Policies').");
        }
        return new ApprovalPolicies(List.copyOf(rules), List.copyOf(warnings));
    }

    public List<String> warnings() {
        return warnings;
    }

    /** The highest number of approvals any policy asks for (at least 1). */
    public int maxApprovals() {
        return rules.stream().mapToInt(rule -> rule.requirement.approvals()).max().orElse(1);
    }

    /** What the request needs: the first matching policy's requirement, else one approver. */
    public Requirement evaluate(InstanceRequest request) {
        return rules.stream().filter(rule -> rule.matches(request)).findFirst().map(Rule::requirement)
                .orElse(Requirement.ONE_APPROVER);
    }

    /** True when requests for the product carry an instance type (EC2 conditions can hold for them). */
    static boolean hasInstanceType(Product product) {
        return product.uses("instanceType");
    }

    /** vCPUs of an instance type from shared-model's table, empty when it is not listed. */
    static OptionalInt vcpus(String instanceType) {
        Optional<InstanceType> type = instanceType == null ? Optional.empty()
                : InstanceType.find(instanceType.strip().toLowerCase(Locale.ROOT));
        return type.map(t -> OptionalInt.of(t.vcpus())).orElse(OptionalInt.empty());
    }

    private static List<String> strip(List<String> values) {
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
    }

    private static String shorten(String value) {
        return value == null ? "" : value.length() <= 32 ? value : value.substring(0, 32) + "...";
    }

    private record Rule(Requirement requirement, List<String> products, List<Pattern> instanceTypes,
                        List<String> vpcIds, List<String> regions, Integer minVcpus, Integer maxVcpus) {

        boolean matches(InstanceRequest request) {
            if (!products.isEmpty() && !products.contains(request.product())) {
                return false;
            }
            boolean ec2Conditions = !instanceTypes.isEmpty() || minVcpus != null || maxVcpus != null;
            if (ec2Conditions && !request.catalogProduct().map(ApprovalPolicies::hasInstanceType).orElse(false)) {
                return false;
            }
            String type = request.instanceType() == null ? "" : request.instanceType().strip().toLowerCase(Locale.ROOT);
            if (!instanceTypes.isEmpty() && instanceTypes.stream().noneMatch(p -> p.matcher(type).matches())) {
                return false;
            }
            if (!vpcIds.isEmpty() && !vpcIds.contains(request.vpcId())) {
                return false;
            }
            if (!regions.isEmpty() && !regions.contains(request.region())) {
                return false;
            }
            OptionalInt vcpus = vcpus(request.instanceType());
            if (minVcpus != null && vcpus.isPresent() && vcpus.getAsInt() < minVcpus) {
                return false;
            }
            return maxVcpus == null || vcpus.isPresent() && vcpus.getAsInt() <= maxVcpus;
        }
    }
}
