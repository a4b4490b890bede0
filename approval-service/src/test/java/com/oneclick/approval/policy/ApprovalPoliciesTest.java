package com.oneclick.approval.policy;

import com.oneclick.approval.ApprovalProperties.Match;
import com.oneclick.approval.ApprovalProperties.Policy;
import com.oneclick.approval.Requests;
import com.oneclick.model.InstanceRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovalPoliciesTest {

    private static final String SANDBOX = "vpc-0a1b2c3d";

    private final ApprovalPolicies policies = ApprovalPolicies.from(List.of(
            new Policy("sandbox-t3", new Match(null, List.of("t3.*"), List.of(SANDBOX), null, null, null), "auto-approve",
                    null),
            new Policy("big-instances", new Match(null, null, null, null, 4, null), "require-approvals", 2)));

    @Test
    void t3InTheSandboxVpcIsApprovedAutomatically() {
        Requirement requirement = policies.evaluate(request("t3.micro", SANDBOX));

        assertThat(requirement).isEqualTo(new Requirement("sandbox-t3", true, 0));
        assertThat(requirement.decider()).isEqualTo("policy:sandbox-t3");
    }

    @Test
    void conditionsMustAllHoldAndTheFirstMatchingPolicyWins() {
        // t3.xlarge has 4 vCPUs: in the sandbox the first policy wins, elsewhere the second applies
        assertThat(policies.evaluate(request("t3.xlarge", SANDBOX)).policy()).isEqualTo("sandbox-t3");
        assertThat(policies.evaluate(request("t3.xlarge", "vpc-0f0f0f0f"))).isEqualTo(
                new Requirement("big-instances", false, 2));
        assertThat(policies.evaluate(request("m6i.large", SANDBOX))).isEqualTo(Requirement.ONE_APPROVER);
        assertThat(policies.evaluate(request("m6i.2xlarge", "vpc-0f0f0f0f")).approvals()).isEqualTo(2);
    }

    @Test
    void anUnknownInstanceTypeIsNeverSmallButAlwaysBig() {
        ApprovalPolicies small = ApprovalPolicies.from(List.of(
                new Policy("small", new Match(null, null, null, null, null, 2), "auto-approve", null),
                new Policy("big", new Match(null, null, null, null, 8, null), "require-approvals", 2)));

        assertThat(small.evaluate(request("x9.mega", SANDBOX)).policy()).isEqualTo("big");
        assertThat(small.evaluate(request("t3.nano", SANDBOX)).policy()).isEqualTo("small");
    }

    @Test
    void aProductsPolicyAppliesToItsProductsOnly() {
        // given
        ApprovalPolicies byProduct = ApprovalPolicies.from(List.of(
                new Policy("sandbox-aurora", new Match(List.of("aurora-mysql"), null, List.of(SANDBOX), null, null,
                        null), "auto-approve", null),
                new Policy("aurora", new Match(List.of(" Aurora-MySQL "), null, null, null, null, null),
                        "require-approvals", 2)));

        // when / then
        assertThat(byProduct.evaluate(Requests.aurora("db", "dev@example.com", SANDBOX)))
                .isEqualTo(new Requirement("sandbox-aurora", true, 0));
        assertThat(byProduct.evaluate(Requests.aurora("db", "dev@example.com", "vpc-0f0f0f0f")))
                .isEqualTo(new Requirement("aurora", false, 2));
        assertThat(byProduct.evaluate(request("t3.micro", SANDBOX))).isEqualTo(Requirement.ONE_APPROVER);
    }

    @Test
    void ec2ConditionsNeverHoldForAProductWithoutAnInstanceType() {
        // given policies that an Aurora request would satisfy if its missing instance type counted as
        // "any type", "unknown, so big" or "unknown, so small"
        ApprovalPolicies ec2 = ApprovalPolicies.from(List.of(
                new Policy("any-type", new Match(null, List.of("*"), null, null, null, null), "auto-approve", null),
                new Policy("big", new Match(null, null, null, null, 4, null), "require-approvals", 3),
                new Policy("small", new Match(null, null, null, null, null, 2), "auto-approve", null),
                new Policy("ec2-or-aurora-big", new Match(List.of("ec2-instance", "aurora-mysql"), null, null, null,
                        8, null), "require-approvals", 2)));
        InstanceRequest aurora = Requests.aurora("db", "dev@example.com", SANDBOX);

        // when / then: none applies to Aurora; EC2 requests are matched as before
        assertThat(aurora.instanceType()).isNull();
        assertThat(ec2.evaluate(aurora)).isEqualTo(Requirement.ONE_APPROVER);
        assertThat(ec2.evaluate(request("m6i.2xlarge", SANDBOX)).policy()).isEqualTo("any-type");
        assertThat(ApprovalPolicies.from(ec2Only()).evaluate(request("m6i.2xlarge", SANDBOX)).policy())
                .isEqualTo("big");
        assertThat(ApprovalPolicies.from(ec2Only()).evaluate(aurora)).isEqualTo(Requirement.ONE_APPROVER);
    }

    @Test
    void anUnknownProductOrAnEc2ConditionOnlyForAuroraStopsStartUp() {
        assertThatThrownBy(() -> ApprovalPolicies.from(List.of(
                new Policy("typo", new Match(List.of("aurora-postgres"), null, null, null, null, null),
                        "auto-approve", null),
                new Policy("never", new Match(List.of("aurora-mysql"), List.of("t3.*"), null, null, null, null),
                        "auto-approve", null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("('typo'): match.products has 'aurora-postgres', expected a product of the "
                        + "catalog: ec2-instance, aurora-mysql")
                .hasMessageContaining("('never'): match.instance-types, min-vcpus and max-vcpus never hold for "
                        + "aurora-mysql");
    }

    @Test
    void brokenPoliciesStopStartUpNamingEachProblem() {
        assertThatThrownBy(() -> ApprovalPolicies.from(List.of(
                new Policy("Bad Name", null, "auto-approve", null),
                new Policy("expiry", new Match(null, List.of("t3.*"), null, null, null, null), "auto-approve", null),
                new Policy("twice", null, "require-approvals", 9),
                new Policy("twice", null, "approve-maybe", null),
                new Policy("pattern", new Match(null, List.of("t3.<script>"), null, null, null, null), "auto-approve",
                        null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("policies[0].name")
                .hasMessageContaining("'expiry' is reserved")
                .hasMessageContaining("approvals must be 1 to 5")
                .hasMessageContaining("('twice').action must be auto-approve or require-approvals")
                .hasMessageContaining("match.instance-types has 't3.<script>'");
    }

    @Test
    void anUnconditionalAutoApprovalIsWarnedAbout() {
        ApprovalPolicies everything = ApprovalPolicies.from(List.of(new Policy("all", null, "auto-approve", null)));

        assertThat(everything.warnings()).singleElement().asString().contains("approves EVERY request");
    }

    private static List<Policy> ec2Only() {
        return List.of(new Policy("big", new Match(null, null, null, null, 4, null), "require-approvals", 3));
    }

    private static InstanceRequest request(String type, String vpc) {
        InstanceRequest base = Requests.valid("policy");
        return new InstanceRequest(base.name(), base.requesterEmail(), base.region(), vpc, base.subnetId(), type,
                base.amiId(), base.keyName(), base.rootVolumeGiB(), base.securityGroupIds(), base.tags());
    }
}
