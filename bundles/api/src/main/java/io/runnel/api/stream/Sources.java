package io.runnel.api.stream;

import io.runnel.api.functions.GeneratorFunction;
import java.util.List;
import java.util.Map;

/** Descriptors of the built-in sources (the {@code io.runnel.connectors.basic} bundle provides them). */
public final class Sources {

    /** Connector name of the collection source. */
    public static final String COLLECTION = "collection";
    /** Connector name of the generator source. */
    public static final String DATAGEN = "datagen";
    /** Parameter of {@link #COLLECTION}: the {@code List} of elements. */
    public static final String ELEMENTS = "elements";
    /** Parameter of {@link #DATAGEN}: how many records, a {@code Long}; {@code Long.MAX_VALUE} is unbounded. */
    public static final String COUNT = "count";
    /** Parameter of {@link #DATAGEN}: the {@link GeneratorFunction}. */
    public static final String GENERATOR = "generator";
    /** Connector name of the file source. */
    public static final String FILE = "file";
    /** Parameter of {@link #FILE}: a file or directory, a {@code String}. */
    public static final String PATH = "path";
    /** Parameter of {@link #DATAGEN}: records per second over all subtasks, a {@code Long}; 0 is as fast as possible. */
    public static final String RATE = "rate";

    private Sources() {}

    /** The elements, in order, from one subtask; the source runs at parallelism 1. */
    public static <T> SourceDescriptor<T> collection(List<? extends T> elements) {
        return new SourceDescriptor<>(COLLECTION, Map.of(ELEMENTS, List.copyOf(elements)));
    }

    /** The lines of a file, or of every file in a directory, as strings; bounded. */
    public static SourceDescriptor<String> lines(String path) {
        return new SourceDescriptor<>(FILE, Map.of(PATH, path));
    }

    /**
     * Records {@code generator(0) ... generator(count-1)}. At parallelism P subtask i makes the
     * indexes i, i+P, i+2P, ..., as fast as it can.
     */
    public static <T> SourceDescriptor<T> generator(long count, GeneratorFunction<T> generator) {
        return generator(count, 0, generator);
    }

    /** Like {@link #generator(long, GeneratorFunction)}, at most {@code recordsPerSecond} in total (0 = unlimited). */
    public static <T> SourceDescriptor<T> generator(long count, long recordsPerSecond, GeneratorFunction<T> generator) {
        if (count < 0 || recordsPerSecond < 0) {
            throw new IllegalArgumentException("A generator needs count >= 0 and rate >= 0, but got count " + count
                    + " and rate " + recordsPerSecond);
        }
        return new SourceDescriptor<>(DATAGEN, Map.of(COUNT, count, RATE, recordsPerSecond, GENERATOR, generator));
    }

    /**
     * {@code count} records made by {@code generator} from random numbers: record {@code i} gets a
     * random generator seeded from {@code seed} and {@code i} alone, so the same seed gives the same
     * records whatever the parallelism and order. At most {@code recordsPerSecond} in total (0 =
     * unlimited); {@code Long.MAX_VALUE} records is unbounded.
     */
    public static <T> SourceDescriptor<T> random(long count, long recordsPerSecond, long seed,
            io.runnel.api.functions.SeededGeneratorFunction<T> generator) {
        java.util.Objects.requireNonNull(generator, "generator");
        GeneratorFunction<T> seeded = index -> generator.generate(index, new java.util.SplittableRandom(mix(seed, index)));
        return generator(count, recordsPerSecond, seeded);
    }

    /** Spreads (seed, index) over 64 bits so neighbouring indexes get unrelated streams. */
    private static long mix(long seed, long index) {
        long h = seed * 0x9E3779B97F4A7C15L + index;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
