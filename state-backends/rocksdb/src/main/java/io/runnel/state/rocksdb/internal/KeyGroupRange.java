package io.runnel.state.rocksdb.internal;

import io.runnel.spi.state.KeyGroups;

/**
 * The key groups one subtask owns, {@code first} to {@code last} inclusive, out of
 * {@code maxParallelism}. A key's group comes from the SPI's {@link KeyGroups}, the same function the
 * runtime partitions records by, so restored state always lands in the subtask its keys reach.
 */
public record KeyGroupRange(int first, int last, int maxParallelism) {

    /** Key groups are stored as two bytes in front of every key; the bound leaves room for the end of a range. */
    public static final int MAX_MAX_PARALLELISM = 1 << 15;

    public KeyGroupRange {
        if (maxParallelism < 1 || maxParallelism > MAX_MAX_PARALLELISM) {
            throw new IllegalArgumentException("A max parallelism of " + maxParallelism + " is outside 1 to "
                    + MAX_MAX_PARALLELISM + ", which the RocksDB state backend supports: choose one in that range");
        }
        if (first < 0 || last < first || last >= maxParallelism) {
            throw new IllegalArgumentException("Key groups " + first + " to " + last + " are not a range within 0 to "
                    + (maxParallelism - 1));
        }
    }

    /** The key group of {@code key}. */
    public int keyGroupOf(Object key) {
        return KeyGroups.keyGroupFor(key, maxParallelism);
    }

    public boolean contains(int keyGroup) {
        return keyGroup >= first && keyGroup <= last;
    }

    public boolean contains(KeyGroupRange other) {
        return other.first >= first && other.last <= last;
    }

    public boolean overlaps(KeyGroupRange other) {
        return other.first <= last && other.last >= first;
    }

    @Override
    public String toString() {
        return "key groups " + first + " to " + last + " of " + maxParallelism;
    }
}
