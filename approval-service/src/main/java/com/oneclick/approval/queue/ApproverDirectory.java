package com.oneclick.approval.queue;

import com.oneclick.model.InstanceRequest;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whom to ask for an approval: the configured approvers' emails plus any extra addresses, never
 * the requester and never someone who already approved.
 *
 * @param emailsByApprover user name → email of the users with the approver role
 * @param extraEmails      more addresses (in JWT mode, where the users live elsewhere, the only ones)
 */
public record ApproverDirectory(Map<String, String> emailsByApprover, List<String> extraEmails) {

    public ApproverDirectory {
        emailsByApprover = Map.copyOf(new LinkedHashMap<>(emailsByApprover));
        extraEmails = List.copyOf(extraEmails);
    }

    public List<String> recipients(InstanceRequest request, Collection<String> approvedBy) {
        Set<String> excluded = new LinkedHashSet<>();
        if (request != null && request.requesterEmail() != null) {
            excluded.add(normal(request.requesterEmail()));
        }
        approvedBy.stream().map(emailsByApprover::get).filter(e -> e != null).map(ApproverDirectory::normal)
                .forEach(excluded::add);
        Set<String> recipients = new LinkedHashSet<>();
        emailsByApprover.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue)
                .forEach(recipients::add);
        recipients.addAll(extraEmails);
        return recipients.stream().filter(email -> !excluded.contains(normal(email))).toList();
    }

    private static String normal(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
