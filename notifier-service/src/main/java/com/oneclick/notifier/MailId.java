package com.oneclick.notifier;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one email is, for de-duplication: a requester email is one per (request, kind); an approver
 * email is one per (request, approval round, approver). The round is how many approvals the request
 * had when it was put in front of the approvers, so the second round of a two-approver policy is a
 * new email and a replay of either round is not.
 *
 * <p>{@link #slot()} is the text form without the request ID: {@code PROVISIONED}, or
 * {@code APPROVAL_REQUESTED/1/alice@example.com}. It holds no white space.
 */
public record MailId(String requestId, NotificationKind kind, int round, String recipient) {

    private static final Pattern NO_SPACE = Pattern.compile("\\S+");

    public MailId {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(kind, "kind");
        if (kind.toApprovers()) {
            if (round < 0 || recipient == null || !NO_SPACE.matcher(recipient).matches() || recipient.contains("/")) {
                throw new IllegalArgumentException("an approver email needs a round >= 0 and an address");
            }
            recipient = recipient.toLowerCase(Locale.ROOT);
        } else {
            round = 0;
            recipient = null;
        }
    }

    public static MailId toRequester(String requestId, NotificationKind kind) {
        return new MailId(requestId, kind, 0, null);
    }

    public static MailId toApprover(String requestId, int round, String approverEmail) {
        return new MailId(requestId, NotificationKind.APPROVAL_REQUESTED, round, approverEmail);
    }

    public String slot() {
        return kind.toApprovers() ? kind.name() + '/' + round + '/' + recipient : kind.name();
    }

    /** Reads {@link #slot()} back. */
    public static MailId parse(String requestId, String slot) {
        int first = slot.indexOf('/');
        if (first < 0) {
            NotificationKind kind = NotificationKind.valueOf(slot);
            if (kind.toApprovers()) {
                throw new IllegalArgumentException("approver slot without round and address: " + slot);
            }
            return toRequester(requestId, kind);
        }
        int second = slot.indexOf('/', first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("not a mail slot: " + slot);
        }
        NotificationKind kind = NotificationKind.valueOf(slot.substring(0, first));
        if (!kind.toApprovers()) {
            throw new IllegalArgumentException("requester slot with a round: " + slot);
        }
        return toApprover(requestId, Integer.parseInt(slot.substring(first + 1, second)), slot.substring(second + 1));
    }

    @Override
    public String toString() {
        return requestId + ' ' + slot();
    }
}
