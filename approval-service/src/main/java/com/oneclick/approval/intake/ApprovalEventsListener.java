package com.oneclick.approval.intake;

import com.oneclick.approval.queue.ApprovalQueue;
import com.oneclick.approval.queue.ApprovalStatus;
import com.oneclick.approval.queue.Decisions;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.spring.EventMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * oneclick.requested / .awaiting-approval / .approved / .rejected into the queue: decode, apply,
 * hand a new submission on (policy or approvers), and note how far the replay got. A record that
 * cannot be read throws and goes to its dead-letter topic. Handing on never throws here: if it
 * cannot publish, the sweeper tries again later, and the submission is not dead-lettered.
 */
public final class ApprovalEventsListener implements Consumer<Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(ApprovalEventsListener.class);

    private final ApprovalQueue queue;
    private final ReplayProgress replay;
    private final Decisions decisions;

    public ApprovalEventsListener(ApprovalQueue queue, ReplayProgress replay, Decisions decisions) {
        this.queue = queue;
        this.replay = replay;
        this.decisions = decisions;
    }

    @Override
    public void accept(Message<byte[]> message) {
        RequestEvent event;
        try {
            event = EventMessages.decode(message);
            queue.apply(event);
        } finally {
            noteProgress(message.getHeaders());
        }
        if (event instanceof RequestSubmitted && replay.caughtUp()) {
            try {
                decisions.route(event.requestId());
            } catch (RuntimeException e) {
                log.warn("Could not hand on request {} yet ({}); the sweeper retries", event.requestId(),
                        e.getMessage());
            }
        }
    }

    private void noteProgress(MessageHeaders headers) {
        String topic = headers.get(KafkaHeaders.RECEIVED_TOPIC, String.class);
        Integer partition = headers.get(KafkaHeaders.RECEIVED_PARTITION, Integer.class);
        Long offset = headers.get(KafkaHeaders.OFFSET, Long.class);
        if (topic != null && partition != null && offset != null && replay.consumed(topic, partition, offset)) {
            log.info("Approval queue rebuilt from the topics: {} request(s), {} pending; decisions are open",
                    queue.list(Optional.empty()).size(), queue.list(Optional.of(ApprovalStatus.PENDING)).size());
            routeWaiting();
        }
    }

    private void routeWaiting() {
        int routed = decisions.routeWaiting();
        if (routed > 0) {
            log.info("Handed on {} request(s) that were waiting for their policy or approvers", routed);
        }
    }
}
