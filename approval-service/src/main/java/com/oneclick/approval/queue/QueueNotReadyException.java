package com.oneclick.approval.queue;

/** The queue is still being rebuilt from the topics after a start; decisions must wait. */
public class QueueNotReadyException extends RuntimeException {

    public QueueNotReadyException(int partitionsRemaining) {
        super("The approval queue is being rebuilt from the event topics after a start ("
                + (partitionsRemaining < 0 ? "waiting for Kafka" : partitionsRemaining + " partition(s) to go")
                + "); decisions are accepted once it is complete. Try again in a few seconds.");
    }
}
