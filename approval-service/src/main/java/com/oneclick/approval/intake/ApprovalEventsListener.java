package com.oneclick.approval.intake;

import com.oneclick.approval.queue.ApprovalQueue;
import com.oneclick.approval.queue.ApprovalStatus;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.spring.EventMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * oneclick.requested / .approved / .rejected into the queue: decode, apply, and note how far the
 * replay got. A record that cannot be read throws and goes to its dead-letter topic.
 */
public final class ApprovalEventsListener implements Consumer<Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(ApprovalEventsListener.class);

    private final ApprovalQueue queue;
    private final ReplayProgress replay;

    public ApprovalEventsListener(ApprovalQueue queue, ReplayProgress replay) {
        this.queue = queue;
        this.replay = replay;
    }

    @Override
    public void accept(Message<byte[]> message) {
        try {
            queue.apply(EventMessages.decode(message));
        } finally {
            noteProgress(message.getHeaders());
        }
    }

    private void noteProgress(MessageHeaders headers) {
        String topic = headers.get(KafkaHeaders.RECEIVED_TOPIC, String.class);
        Integer partition = headers.get(KafkaHeaders.RECEIVED_PARTITION, Integer.class);
        Long offset = headers.get(KafkaHeaders.OFFSET, Long.class);
        if (topic != null && partition != null && offset != null && replay.consumed(topic, partition, offset)) {
            log.info("Approval queue rebuilt from the topics: {} request(s), {} pending; decisions are open",
                    queue.list(Optional.empty()).size(), queue.list(Optional.of(ApprovalStatus.PENDING)).size());
        }
    }
}
