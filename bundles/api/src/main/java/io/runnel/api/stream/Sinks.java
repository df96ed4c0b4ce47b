package io.runnel.api.stream;

import java.util.Map;

/** Descriptors of the built-in sinks (the {@code io.runnel.connectors.basic} bundle provides them). */
public final class Sinks {

    /** Connector name of the print sink. */
    public static final String PRINT = "print";
    /** Parameter of {@link #PRINT}: text put before each line, a {@code String}. */
    public static final String PREFIX = "prefix";

    private Sinks() {}

    /** Prints each record's {@code toString()} on standard out. */
    public static <T> SinkDescriptor<T> print() {
        return new SinkDescriptor<>(PRINT, Map.of());
    }

    /** Prints each record after {@code prefix}. */
    public static <T> SinkDescriptor<T> print(String prefix) {
        return new SinkDescriptor<>(PRINT, Map.of(PREFIX, prefix));
    }
}
