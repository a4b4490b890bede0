package com.oneclick.deploy.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --name value} and {@code --flag} options of one command. Unknown, repeated or
 * valueless options are a {@link UsageException}; values are checked by the command.
 */
final class Options {

    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new java.util.HashSet<>();

    private Options(String command) {
        this.command = command;
    }

    /**
     * @param withValue options that take a value ({@code --group g})
     * @param flagNames options without a value ({@code --dry-run})
     */
    static Options parse(String command, List<String> args, Set<String> withValue, Set<String> flagNames) {
        Options options = new Options(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            if (flagNames.contains(name) && inlineValue == null) {
                if (!options.flags.add(name)) {
                    throw new UsageException(name + " is given twice");
                }
            } else if (withValue.contains(name)) {
                String value = inlineValue;
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (value.isBlank()) {
                    throw new UsageException(name + " needs a value");
                }
                if (options.values.put(name, value.strip()) != null) {
                    throw new UsageException(name + " is given twice");
                }
            } else {
                throw new UsageException("oneclick " + command + ": unknown argument '" + Text.printable(arg)
                        + "' (see ./oneclick help)");
            }
        }
        return options;
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String required(String name) {
        return value(name).orElseThrow(() -> new UsageException("oneclick " + command + ": " + name + " is required"));
    }

    boolean has(String name) {
        return values.containsKey(name) || flags.contains(name);
    }

    /** A non-negative whole number, or a {@link UsageException} naming the option. */
    Optional<Long> nonNegative(String name) {
        return value(name).map(v -> {
            long number;
            try {
                number = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new UsageException(name + " must be a whole number, not '" + Text.printable(v) + "'");
            }
            if (number < 0) {
                throw new UsageException(name + " must not be negative (" + number + ")");
            }
            return number;
        });
    }
}
