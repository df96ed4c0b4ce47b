package io.runnel.state.rocksdb.internal;

/**
 * The key groups one subtask owns, {@code first} to {@code last} inclusive, out of
 * {@code maxParallelism}. A key's group is its scrambled hash code modulo the max parallelism, the
 * same function the runtime partitions records by (it must stay identical, or restored state lands
 * in the wrong subtask); the state SPI will own this arithmetic once it exists.
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
        return Math.floorMod(scramble(key.hashCode()), maxParallelism);
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

    /** The 32-bit finalisation step of MurmurHash3: every input bit affects every output bit. */
    private static int scramble(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    @Override
    public String toString() {
        return "key groups " + first + " to " + last + " of " + maxParallelism;
    }
}
