package io.runnel.state.rocksdb.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of the RocksDB state backend, read from {@code state.backend.rocksdb.*} keys (each
 * documented in {@code state-backends/README.md}). Every value is checked here, once, with an error
 * that names the key, the value and what to write instead.
 *
 * @param localDirectory where each subtask's RocksDB instance lives while the job runs
 * @param profile tuning for the storage the local directory is on
 * @param blockCacheSize the block cache of each instance when no managed memory bounds the slot
 * @param writeBufferSize the size of one memtable
 * @param writeBufferCount how many memtables a column family may hold before writes wait for a flush
 * @param managedMemoryPerSlot the bound on block cache plus memtables of all instances in one slot;
 *     0 turns the bound off (each instance then has its own block cache of {@code blockCacheSize})
 * @param incremental whether checkpoints upload only new SST files
 * @param writeCacheSize the bound on the heap of each keyed subtask's write-back cache in front of
 *     RocksDB ({@link WriteBackCache}); 0 turns the cache off
 */
public record RocksStateOptions(Path localDirectory, Profile profile, long blockCacheSize, long writeBufferSize,
        int writeBufferCount, long managedMemoryPerSlot, boolean incremental, long writeCacheSize) {

    public static final String PREFIX = "state.backend.rocksdb.";
    public static final String LOCAL_DIRECTORY = PREFIX + "localdir";
    public static final String PROFILE = PREFIX + "predefined-options";
    public static final String BLOCK_CACHE_SIZE = PREFIX + "block.cache-size";
    public static final String WRITE_BUFFER_SIZE = PREFIX + "writebuffer.size";
    public static final String WRITE_BUFFER_COUNT = PREFIX + "writebuffer.count";
    public static final String MANAGED_MEMORY_PER_SLOT = PREFIX + "memory.managed-per-slot";
    public static final String INCREMENTAL = PREFIX + "incremental";
    public static final String WRITE_CACHE_SIZE = PREFIX + "write-cache.size";

    private static final Set<String> KEYS = Set.of(LOCAL_DIRECTORY, PROFILE, BLOCK_CACHE_SIZE, WRITE_BUFFER_SIZE,
            WRITE_BUFFER_COUNT, MANAGED_MEMORY_PER_SLOT, INCREMENTAL, WRITE_CACHE_SIZE);

    private static final long MB = 1024L * 1024;

    /** Tunings for the storage under the local directory. */
    public enum Profile {
        /** RocksDB's own defaults. */
        DEFAULT,
        /** Hard disks: larger blocks and files, fewer seeks, more memtables merged before a flush. */
        SPINNING_DISK,
        /** SSDs: more background threads, every file kept open. */
        FLASH
    }

    public RocksStateOptions {
        if (localDirectory == null) {
            throw new IllegalArgumentException(LOCAL_DIRECTORY + " must name a directory");
        }
        if (profile == null) {
            throw new IllegalArgumentException(PROFILE + " must be one of DEFAULT, SPINNING_DISK, FLASH");
        }
        checkAtLeast(BLOCK_CACHE_SIZE, blockCacheSize, MB);
        checkAtLeast(WRITE_BUFFER_SIZE, writeBufferSize, MB);
        if (writeBufferCount < 1 || writeBufferCount > 64) {
            throw new IllegalArgumentException(WRITE_BUFFER_COUNT + " is " + writeBufferCount
                    + " but must be between 1 and 64: 2 is a good start");
        }
        if (managedMemoryPerSlot != 0) {
            checkAtLeast(MANAGED_MEMORY_PER_SLOT, managedMemoryPerSlot, 16 * MB);
            if (writeBufferSize > managedMemoryPerSlot / 2) {
                throw new IllegalArgumentException(WRITE_BUFFER_SIZE + " (" + writeBufferSize + " bytes) is more than half of "
                        + MANAGED_MEMORY_PER_SLOT + " (" + managedMemoryPerSlot + " bytes), the memtables' share: lower the "
                        + "write buffer size or raise the managed memory");
            }
        }
        if (writeCacheSize != 0) {
            checkAtLeast(WRITE_CACHE_SIZE, writeCacheSize, MB);
        }
    }

    /** The defaults, with instances under {@code dataDirectory/rocksdb} (or java.io.tmpdir if null). */
    public static RocksStateOptions defaults(Path dataDirectory) {
        return fromConfig(Map.of(), dataDirectory);
    }

    /**
     * Reads the options from configuration; keys outside {@code state.backend.rocksdb.} are ignored.
     *
     * @param dataDirectory the node's data directory, the parent of the default local directory; null
     *     puts it under {@code java.io.tmpdir}
     * @throws IllegalArgumentException naming the key and value at fault, and what to do, for a value
     *     that cannot be used or an unknown key under the prefix (a typo would otherwise go unnoticed)
     */
    public static RocksStateOptions fromConfig(Map<String, String> config, Path dataDirectory) {
        Set<String> unknown = new TreeSet<>();
        for (String key : config.keySet()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown RocksDB state backend option(s) " + unknown + ": the known ones are "
                    + new TreeSet<>(KEYS));
        }
        Path base = dataDirectory != null ? dataDirectory : Path.of(System.getProperty("java.io.tmpdir"), "runnel");
        Path local = base.resolve("rocksdb");
        String localValue = config.get(LOCAL_DIRECTORY);
        if (localValue != null) {
            try {
                local = Path.of(localValue.trim());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(LOCAL_DIRECTORY + " = '" + localValue + "' is not a path: " + e.getMessage());
            }
            if (localValue.isBlank() || !local.isAbsolute()) {
                throw new IllegalArgumentException(LOCAL_DIRECTORY + " = '" + localValue + "' must be an absolute path to a "
                        + "directory on local disk");
            }
        }
        Profile profile = Profile.DEFAULT;
        String profileValue = config.get(PROFILE);
        if (profileValue != null) {
            try {
                profile = Profile.valueOf(profileValue.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PROFILE + " = '" + profileValue + "' is not one of DEFAULT, SPINNING_DISK, FLASH");
            }
        }
        return new RocksStateOptions(local.toAbsolutePath(), profile,
                memory(config, BLOCK_CACHE_SIZE, "64 mb"),
                memory(config, WRITE_BUFFER_SIZE, "64 mb"),
                integer(config, WRITE_BUFFER_COUNT, 2),
                memory(config, MANAGED_MEMORY_PER_SLOT, "256 mb"),
                bool(config, INCREMENTAL, true),
                memory(config, WRITE_CACHE_SIZE, "32 mb"));
    }

    /** The same options with another local directory (tests give each their own). */
    public RocksStateOptions withLocalDirectory(Path directory) {
        return new RocksStateOptions(directory, profile, blockCacheSize, writeBufferSize, writeBufferCount,
                managedMemoryPerSlot, incremental, writeCacheSize);
    }

    /**
     * Parses a memory size: a whole number of bytes, optionally followed by a unit {@code b}, {@code kb}
     * ({@code k}), {@code mb} ({@code m}) or {@code gb} ({@code g}), in any case, powers of 1024.
     */
    static long parseMemorySize(String key, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < text.length() && Character.isDigit(text.charAt(split))) {
            split++;
        }
        String unit = text.substring(split).trim();
        long factor = switch (unit) {
            case "", "b" -> 1;
            case "k", "kb" -> 1024;
            case "m", "mb" -> MB;
            case "g", "gb" -> 1024 * MB;
            default -> -1;
        };
        if (split == 0 || factor < 0) {
            throw new IllegalArgumentException(key + " = '" + value + "' is not a memory size: write a whole number with "
                    + "an optional unit b, kb, mb or gb, like '64 mb'");
        }
        try {
            return Math.multiplyExact(Long.parseLong(text.substring(0, split)), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + value + "' is too large");
        }
    }

    private static long memory(Map<String, String> config, String key, String fallback) {
        return parseMemorySize(key, config.getOrDefault(key, fallback));
    }

    private static int integer(Map<String, String> config, String key, int fallback) {
        String value = config.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + value + "' is not a whole number");
        }
    }

    private static boolean bool(Map<String, String> config, String key, boolean fallback) {
        String value = config.get(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " = '" + value + "' must be true or false");
        };
    }

    private static void checkAtLeast(String key, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(key + " is " + value + " bytes, below the minimum of " + minimum
                    + " bytes: give a size like '64 mb'");
        }
    }
}
