package io.runnel.api.stream;

import java.util.Map;

/** Descriptors of the built-in sinks (the {@code io.runnel.connectors.basic} bundle provides them). */
public final class Sinks {

    /** Connector name of the print sink. */
    public static final String PRINT = "print";
    /** Parameter of {@link #PRINT}: text put before each line, a {@code String}. */
    public static final String PREFIX = "prefix";
    /** Connector name of the file sink. */
    public static final String FILE = "file";
    /** Parameter of {@link #FILE}: the output directory, a {@code String}. */
    public static final String PATH = "path";

    private Sinks() {}

    /** Prints each record's {@code toString()} on standard out. */
    public static <T> SinkDescriptor<T> print() {
        return new SinkDescriptor<>(PRINT, Map.of());
    }

    /** Writes each record as a line to {@code directory/part-<subtask>.txt}. */
    public static <T> SinkDescriptor<T> files(String directory) {
        return new SinkDescriptor<>(FILE, Map.of(PATH, directory));
    }

    /** Prints each record after {@code prefix}. */
    public static <T> SinkDescriptor<T> print(String prefix) {
        return new SinkDescriptor<>(PRINT, Map.of(PREFIX, prefix));
    }
}
