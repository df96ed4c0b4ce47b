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

    /**
     * Writes each record's {@code toString()} as a UTF-8 line into part files in {@code directory}:
     * subtask {@code s} commits {@code part-s-0.txt}, {@code part-s-1.txt}, ... Only committed files
     * have visible names; files being written or waiting for a checkpoint are hidden (their names
     * start with {@code .}), so readers of {@code part-*.txt} never see partial output.
     *
     * <p>With checkpoints the output is exactly once: a subtask's records since the last checkpoint
     * are committed as one file when the next checkpoint completes, and a job restarted from a
     * checkpoint commits what it promised and drops what came after it. Without checkpoints a subtask
     * commits one file when its input ends, and a cancelled or failed run leaves its file hidden.
     * A job that starts without restored state replaces the part files earlier runs left in
     * {@code directory}.
     */
    public static <T> SinkDescriptor<T> files(String directory) {
        return new SinkDescriptor<>(FILE, Map.of(PATH, directory));
    }

    /** Prints each record after {@code prefix}. */
    public static <T> SinkDescriptor<T> print(String prefix) {
        return new SinkDescriptor<>(PRINT, Map.of(PREFIX, prefix));
    }
}
