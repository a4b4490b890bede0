package com.oneclick.model;

import java.util.List;
import java.util.Optional;

/** The instance types the platform allows, with their size, so forms can show what each one is. */
public record InstanceType(String name, int vcpus, double memoryGiB) {

    /** The allow-list. A type not here is refused. */
    public static final List<InstanceType> ALLOWED = List.of(
            new InstanceType("t3.nano", 2, 0.5),
            new InstanceType("t3.micro", 2, 1),
            new InstanceType("t3.small", 2, 2),
            new InstanceType("t3.medium", 2, 4),
            new InstanceType("t3.large", 2, 8),
            new InstanceType("t3.xlarge", 4, 16),
            new InstanceType("m6i.large", 2, 8),
            new InstanceType("m6i.xlarge", 4, 16),
            new InstanceType("m6i.2xlarge", 8, 32),
            new InstanceType("c6i.large", 2, 4),
            new InstanceType("c6i.xlarge", 4, 8),
            new InstanceType("r6i.large", 2, 16));

    public static Optional<InstanceType> find(String name) {
        return ALLOWED.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
