package com.oneclick.model.catalog;

import java.util.Objects;

/**
 * One output of a product's module that OneClick reports.
 *
 * @param name  the Terraform output's name, e.g. {@code endpoint}
 * @param label what emails and pages call it
 * @param role  {@code id}: the resource's ID (an event's {@code instanceId}); {@code name}: its Name tag
 *              (an event's {@code instanceName}); null for the others
 */
public record Output(String name, String label, String role) {

    public static final String ID = "id";
    public static final String NAME = "name";

    public Output {
        Objects.requireNonNull(name, "an output needs a name");
        Objects.requireNonNull(label, "output " + name + " needs a label");
    }
}
