package com.oneclick.model.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parameter or output of a request as pages and emails show it: under its catalog label, in the
 * catalog's order, a list parameter as {@code a, b}. Values the catalog does not list (or all of
 * them, for a product it does not know) follow under their own names with {@code listed} false.
 * A value may be null; each view decides how to show that.
 */
public record LabelledValue(String name, String label, String value, boolean listed) {

    /** A request's parameters, labelled by its product's catalog entry. */
    public static List<LabelledValue> parameters(Optional<Product> product, Map<String, String> values) {
        Map<String, String> left = new LinkedHashMap<>(values);
        List<LabelledValue> labelled = new ArrayList<>();
        product.ifPresent(p -> p.parameters().forEach(parameter -> {
            if (left.containsKey(parameter.name())) {
                String value = left.remove(parameter.name());
                labelled.add(new LabelledValue(parameter.name(),
                        parameter.label() == null ? parameter.name() : parameter.label(),
                        value == null ? null : parameter.displayValue(value), true));
            }
        }));
        left.forEach((name, value) -> labelled.add(new LabelledValue(name, name, value, false)));
        return labelled;
    }

    /** A provisioned event's outputs, labelled by its product's catalog entry. */
    public static List<LabelledValue> outputs(Optional<Product> product, Map<String, String> values) {
        Map<String, String> left = new LinkedHashMap<>(values);
        List<LabelledValue> labelled = new ArrayList<>();
        product.ifPresent(p -> p.outputs().forEach(output -> {
            if (left.containsKey(output.name())) {
                labelled.add(new LabelledValue(output.name(), output.label(), left.remove(output.name()), true));
            }
        }));
        left.forEach((name, value) -> labelled.add(new LabelledValue(name, name, value, false)));
        return labelled;
    }
}
