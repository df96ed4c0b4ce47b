package io.runnel.connectors.kafka.internal;

import io.runnel.api.stream.ExecutionOptions;
import io.runnel.connectors.kafka.KafkaOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads a descriptor's parameters, which are strings when given by name and strings or objects from the
 * builders; every error names the parameter, the value and what is accepted.
 */
final class Parameters {

    private final String role;
    private final Map<String, Object> values;

    /** @param role {@code "the kafka source"} or {@code "the kafka sink"}, for messages */
    Parameters(String role, Map<String, Object> values) {
        this.role = role;
        this.values = values;
    }

    /**
     * @throws IllegalArgumentException for a key that is neither a known option nor a {@code properties.} one
     */
    void checkKnown(Set<String> known, String... formatPrefixes) {
        for (String key : values.keySet()) {
            if (known.contains(key) || key.startsWith(KafkaOptions.PROPERTIES_PREFIX) || hasPrefix(key, formatPrefixes)) {
                continue;
            }
            StringBuilder also = new StringBuilder(" and kafka-clients settings prefixed with '" + KafkaOptions.PROPERTIES_PREFIX + "'");
            for (String prefix : formatPrefixes) {
                if (prefix != null) {
                    also.append(", and options of the chosen format prefixed with '").append(prefix).append("'");
                }
            }
            throw new IllegalArgumentException(role + " has no option '" + key + "'; its options are " + new java.util.TreeSet<>(known)
                    + also + " (the options of a key or value format such as 'value.avro.schema-file' count only with"
                    + " that format chosen, here 'value.format=avro')");
        }
    }

    private static boolean hasPrefix(String key, String[] prefixes) {
        for (String prefix : prefixes) {
            if (prefix != null && key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    Set<String> keys() {
        return values.keySet();
    }

    String required(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(role + " needs the option '" + key + "', but it is missing");
        }
        return value.trim();
    }

    String string(String key, String fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
            throw new IllegalArgumentException(role + " expects text for '" + key + "', but got a " + value.getClass().getName());
        }
        return value.toString();
    }

    /** One of {@code accepted}, lower case. */
    String choice(String key, String fallback, String... accepted) {
        String value = string(key, fallback).trim().toLowerCase(Locale.ROOT);
        for (String option : accepted) {
            if (option.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(role + " accepts " + String.join(", ", accepted) + " for '" + key + "', but got '"
                + string(key, fallback) + "'");
    }

    long longValue(String key, long fallback) {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(role + " expects a whole number for '" + key + "', but got '" + value + "'");
        }
    }

    int intValue(String key, int fallback, int min) {
        long value = longValue(key, fallback);
        if (value < min || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(role + " expects '" + key + "' to be at least " + min + ", but got " + value);
        }
        return (int) value;
    }

    boolean booleanValue(String key, boolean fallback) {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(role + " expects true or false for '" + key + "', but got '" + value + "'");
        };
    }

    /** A duration ({@code 500ms}, {@code 10s}, {@code 2min}, {@code PT1M}, plain milliseconds); {@code off} is zero. */
    Duration duration(String key, Duration fallback) {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        if (value.trim().equalsIgnoreCase("off")) {
            return Duration.ZERO;
        }
        try {
            return ExecutionOptions.parseDuration(key, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + ": " + e.getMessage(), e);
        }
    }

    /** An object parameter of the given type (a serializer), or null. */
    <T> T object(String key, Class<T> type) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(role + " expects a " + type.getSimpleName() + " for '" + key + "', but got "
                    + value.getClass().getName());
        }
        return type.cast(value);
    }

    /** The {@code properties.*} parameters, without the prefix, for the Kafka clients. */
    Properties clientProperties() {
        Properties properties = new Properties();
        values.forEach((key, value) -> {
            if (key.startsWith(KafkaOptions.PROPERTIES_PREFIX) && value != null) {
                properties.put(key.substring(KafkaOptions.PROPERTIES_PREFIX.length()), value.toString());
            }
        });
        return properties;
    }

    String role() {
        return role;
    }
}
