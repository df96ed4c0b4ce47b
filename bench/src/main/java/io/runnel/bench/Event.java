package io.runnel.bench;

/**
 * The benchmark's event number {@code c}: key {@code mix(c) mod 10000}, event time {@code c} ms,
 * value {@code c}.
 *
 * @param key the key, from 0 to 9999
 * @param time event time in milliseconds
 * @param value the payload
 */
public record Event(long key, long time, long value) {

    /** Keys used by every workload. */
    public static final long KEYS = 10_000;

    public static Event of(long c) {
        return new Event(keyOf(c), c, c);
    }

    /** The key of event {@code c}: a multiplicative hash folded to spread sequential numbers. */
    public static long keyOf(long c) {
        long h = c * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return Long.remainderUnsigned(h, KEYS);
    }
}
