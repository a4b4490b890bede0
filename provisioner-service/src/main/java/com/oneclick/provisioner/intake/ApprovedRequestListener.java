package com.oneclick.provisioner.intake;

import com.oneclick.model.events.RequestApproved;
import com.oneclick.provisioner.Provisioning;
import com.oneclick.spring.EventMessages;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

import java.util.function.Consumer;

/**
 * Binding {@code approved-in-0} ({@code oneclick.approved}, group {@code oneclick-provisioner}):
 * decode, hand to the use case. An unreadable record throws UnreadableEventException and goes to
 * {@code oneclick.approved.dlt} without retries; any other failure is retried, then dead-lettered.
 */
@Component("approved")
public class ApprovedRequestListener implements Consumer<Message<byte[]>> {

    private final Provisioning provisioning;

    public ApprovedRequestListener(Provisioning provisioning) {
        this.provisioning = provisioning;
    }

    @Override
    public void accept(Message<byte[]> message) {
        provisioning.approved(EventMessages.decode(message, RequestApproved.class));
    }
}
