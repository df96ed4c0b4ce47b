package io.runnel.node.internal;

import java.util.List;
import java.util.function.Function;

/**
 * One documented configuration key: its name, what it means, its default as shown to users, and how
 * a raw value (from YAML or the command line) becomes the typed value the components receive.
 *
 * @param key the dotted key, as written in {@code runnel.yaml}
 * @param defaultText the default as the README and errors show it
 * @param description one sentence for the configuration table
 * @param parse turns the raw value into a typed one, or throws IllegalArgumentException saying what
 *     is accepted (the caller adds the key and the value)
 */
record ConfigOption(String key, String defaultText, String description, Function<Object, Object> parse) {

    static Object text(Object raw) {
        if (raw instanceof List || raw instanceof java.util.Map) {
            throw new IllegalArgumentException("expected a single value, not a list or a section");
        }
        String text = String.valueOf(raw).trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the value is empty");
        }
        return text;
    }

    static Function<Object, Object> integer(int min, int max) {
        return raw -> {
            String text = (String) text(raw);
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            return value;
        };
    }

    /** A YAML list, or one comma-separated string (the command-line form). */
    static String[] list(Object raw) {
        List<?> items = raw instanceof List<?> l ? l : List.of(String.valueOf(raw).split(","));
        return items.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
