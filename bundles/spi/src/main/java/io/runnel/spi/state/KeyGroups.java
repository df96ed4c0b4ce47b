package io.runnel.spi.state;

/**
 * Keys hash into {@code maxParallelism} key groups; subtask i of an operator at parallelism p owns a
 * contiguous range of them. Rescaling moves whole key groups, never single keys.
 */
public final class KeyGroups {

    private KeyGroups() {}

    /** The key group of a key: its {@code hashCode}, scrambled so that poor hash codes still spread. */
    public static int keyGroupFor(Object key, int maxParallelism) {
        return Math.floorMod(scramble(key.hashCode()), maxParallelism);
    }

    /** The subtask that owns a key group. */
    public static int subtaskFor(int keyGroup, int maxParallelism, int parallelism) {
        return (int) ((long) keyGroup * parallelism / maxParallelism);
    }

    /** The first key group owned by a subtask (inclusive). */
    public static int firstKeyGroup(int subtask, int maxParallelism, int parallelism) {
        return (int) (((long) subtask * maxParallelism + parallelism - 1) / parallelism);
    }

    /** The last key group owned by a subtask (inclusive). */
    public static int lastKeyGroup(int subtask, int maxParallelism, int parallelism) {
        return (int) (((long) (subtask + 1) * maxParallelism - 1) / parallelism);
    }

    /** The 32-bit finalisation step of MurmurHash3: every input bit affects every output bit. */
    public static int scramble(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
