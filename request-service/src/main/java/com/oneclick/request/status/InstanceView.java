package com.oneclick.request.status;

import com.oneclick.model.catalog.Output;
import com.oneclick.model.catalog.LabelledValue;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.events.InstanceProvisioned;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the build made; {@code simulated} when the local build produced it. {@code instanceId} and
 * {@code instanceName} are the resource's ID and Name tag whatever the product; {@code outputs} are
 * the product's outputs with the catalog's labels, in the catalog's order.
 */
public record InstanceView(String instanceId, String instanceName, String privateIp, String availabilityZone,
                           boolean simulated, List<OutputValue> outputs) {

    public InstanceView {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /**
     * One output of the product's module.
     *
     * @param name  the module output's name, e.g. {@code endpoint}
     * @param label what pages call it (the catalog's label), e.g. "Writer endpoint"
     * @param value its value, as text
     */
    public record OutputValue(String name, String label, String value) {
    }

    /**
     * The view of a provisioned event. The outputs come from the event's {@code outputs} in the
     * catalog's order (any the catalog does not list follow, under their own names); an event
     * without them (written before products existed) shows its ID, Name, private IP and zone.
     *
     * @param product the request's catalog entry; null when the catalog does not know it
     */
    public static InstanceView of(InstanceProvisioned event, Product product) {
        List<OutputValue> outputs = event.outputs().isEmpty() ? fallback(event, product) : labelled(event, product);
        return new InstanceView(event.instanceId(), event.instanceName(), event.privateIp(),
                event.availabilityZone(), event.simulated(), outputs);
    }

    private static List<OutputValue> labelled(InstanceProvisioned event, Product product) {
        return LabelledValue.outputs(Optional.ofNullable(product), event.outputs()).stream()
                .filter(o -> o.value() != null)
                .map(o -> new OutputValue(o.name(), o.label(), o.value())).toList();
    }

    private static List<OutputValue> fallback(InstanceProvisioned event, Product product) {
        List<OutputValue> outputs = new ArrayList<>();
        Output id = product == null ? new Output("instance_id", "Instance ID", Output.ID) : product.idOutput();
        Output name = product == null ? new Output("instance_name", "Name", Output.NAME) : product.nameOutput();
        add(outputs, id.name(), id.label(), event.instanceId());
        add(outputs, name.name(), name.label(), event.instanceName());
        add(outputs, "private_ip", "Private IP", event.privateIp());
        add(outputs, "availability_zone", "Availability zone", event.availabilityZone());
        return outputs;
    }

    private static void add(List<OutputValue> outputs, String name, String label, String value) {
        if (value != null) {
            outputs.add(new OutputValue(name, label, value));
        }
    }
}
