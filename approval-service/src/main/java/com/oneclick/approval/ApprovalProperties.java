package com.oneclick.approval;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * {@code oneclick.approval.*}: how approvers sign in, who they are, when a request expires and
 * which policies decide how many approvals a request needs. There is no default user; the
 * launcher or the environment configures them, e.g. {@code ONECLICK_APPROVAL_USERS_0_USERNAME},
 * {@code ..._0_PASSWORD} (a DelegatingPasswordEncoder hash such as {@code {bcrypt}$2a$10$...}),
 * {@code ..._0_EMAIL}, {@code ..._0_ROLES_0=APPROVER}.
 *
 * @param auth           {@code basic} (configured users, the default) or {@code jwt} (OAuth2 resource server)
 * @param expireAfter    a request still waiting after this long is rejected by {@code policy:expiry}
 * @param sweepInterval  how often waiting requests are checked for expiry (and unfinished routing retried)
 * @param approverEmails more addresses to ask for approvals, besides the configured approvers' own
 *                       (in {@code jwt} mode the only ones, since the users live in the identity provider)
 */
@ConfigurationProperties("oneclick.approval")
public record ApprovalProperties(List<User> users, Auth auth, Jwt jwt, Duration expireAfter, Duration sweepInterval,
                                 List<Policy> policies, List<String> approverEmails) {

    public static final Duration DEFAULT_EXPIRE_AFTER = Duration.ofHours(72);
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(30);

    public ApprovalProperties {
        users = users == null ? List.of() : List.copyOf(users);
        auth = auth == null ? Auth.BASIC : auth;
        jwt = jwt == null ? new Jwt(null, null, null) : jwt;
        expireAfter = expireAfter == null ? DEFAULT_EXPIRE_AFTER : expireAfter;
        sweepInterval = sweepInterval == null ? DEFAULT_SWEEP_INTERVAL : sweepInterval;
        policies = policies == null ? List.of() : List.copyOf(policies);
        approverEmails = approverEmails == null ? List.of() : List.copyOf(approverEmails);
    }

    /** Users only (the other settings at their defaults). */
    public static ApprovalProperties ofUsers(List<User> users) {
        return new ApprovalProperties(users, null, null, null, null, null, null);
    }

    /** How approvers authenticate. */
    public enum Auth {
        /** HTTP Basic (API) and a login form (page) against {@code oneclick.approval.users}. */
        BASIC,
        /** JWT bearer tokens from an OAuth2/OIDC identity provider (spring.security.oauth2.resourceserver.jwt.*). */
        JWT
    }

    /**
     * Where a JWT carries the approver's identity.
     *
     * @param usernameClaim the name recorded as the decider (default {@code preferred_username}, else {@code sub})
     * @param emailClaim    the approver's email, checked against the requester's (default {@code email})
     * @param rolesClaim    the roles; a dotted path reaches into objects, e.g. {@code realm_access.roles}
     *                      (default {@code roles})
     */
    public record Jwt(String usernameClaim, String emailClaim, String rolesClaim) {

        public Jwt {
            usernameClaim = blankTo(usernameClaim, "preferred_username");
            emailClaim = blankTo(emailClaim, "email");
            rolesClaim = blankTo(rolesClaim, "roles");
        }

        private static String blankTo(String value, String fallback) {
            return value == null || value.isBlank() ? fallback : value.strip();
        }
    }

    /**
     * One configured user.
     *
     * @param password an encoded password hash, never a plain password; never logged
     * @param email    used to recognise the user's own requests (nobody approves their own)
     * @param roles    e.g. {@code APPROVER}; without it the user may only read the queue
     */
    public record User(String username, String password, String email, List<String> roles) {

        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "User[username=" + username + ", password=<hidden>, email=" + email + ", roles=" + roles + "]";
        }
    }

    /**
     * An approval policy: the first policy whose {@code match} fits a request decides what it needs.
     *
     * @param action    {@code auto-approve} or {@code require-approvals}
     * @param approvals for {@code require-approvals}: how many distinct approvers (1 to 5)
     */
    public record Policy(String name, Match match, String action, Integer approvals) {
    }

    /**
     * What a policy applies to; every condition given must hold, any entry of a list may match.
     * {@code instanceTypes}, {@code minVcpus} and {@code maxVcpus} are EC2 conditions: they never hold
     * for a request whose product has no instance type (see {@code ApprovalPolicies}).
     *
     * @param products      product names of shared-model's catalog, e.g. {@code aurora-mysql}
     * @param instanceTypes patterns such as {@code t3.*} or {@code m6i.large}
     * @param vpcIds        VPC IDs
     * @param regions       AWS regions
     * @param minVcpus      instance types with at least this many vCPUs
     * @param maxVcpus      instance types with at most this many vCPUs
     */
    public record Match(List<String> products, List<String> instanceTypes, List<String> vpcIds, List<String> regions,
                        Integer minVcpus, Integer maxVcpus) {

        public Match {
            products = products == null ? List.of() : List.copyOf(products);
            instanceTypes = instanceTypes == null ? List.of() : List.copyOf(instanceTypes);
            vpcIds = vpcIds == null ? List.of() : List.copyOf(vpcIds);
            regions = regions == null ? List.of() : List.copyOf(regions);
        }
    }
}
