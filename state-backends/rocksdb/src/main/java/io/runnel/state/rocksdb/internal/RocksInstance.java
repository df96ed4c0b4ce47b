package io.runnel.state.rocksdb.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB database in a directory, with a column family per state (named {@code s/<state>}) and
 * the default column family for metadata, and every native object it needs; {@link #close} frees
 * them all in the order RocksDB requires (column families, database, then options and caches).
 *
 * <p>Writes skip the write-ahead log: durability comes from checkpoints, and a crashed instance is
 * never reopened, it is restored from the last checkpoint.
 */
final class RocksInstance implements AutoCloseable {

    private static final String STATE_PREFIX = "s/";

    private final Path directory;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnOptions;
    private final StringAppendOperator listAppend;
    private final BloomFilter bloomFilter;
    /** The instance's own block cache, when no slot memory is shared; else null. */
    private final Cache ownCache;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final ColumnFamilyHandle metadata;
    private final Map<String, ColumnFamilyHandle> states = new LinkedHashMap<>();
    private boolean closed;

    private RocksInstance(Path directory, RocksStateOptions options, SlotMemory memory) throws IOException {
        RocksNativeLibrary.load();
        this.directory = directory;
        Files.createDirectories(directory);
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setKeepLogFileNum(2).setMaxLogFileSize(4L << 20)
                .setStatsDumpPeriodSec(0).setUseFsync(false);
        columnOptions = new ColumnFamilyOptions();
        // List state appends with merge operands joined by nothing: each element is self-delimiting.
        listAppend = new StringAppendOperator("");
        columnOptions.setMergeOperator(listAppend);
        bloomFilter = new BloomFilter(10, false);
        BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(bloomFilter);
        if (memory != null) {
            ownCache = null;
            // Index and filter blocks live in the bounded cache (see SlotMemory for why it has four shards).
            table.setBlockCache(memory.cache()).setCacheIndexAndFilterBlocks(true)
                    .setCacheIndexAndFilterBlocksWithHighPriority(true).setPinL0FilterAndIndexBlocksInCache(true);
            dbOptions.setWriteBufferManager(memory.writeBuffers());
        } else {
            ownCache = new LRUCache(options.blockCacheSize());
            table.setBlockCache(ownCache);
        }
        switch (options.profile()) {
            case SPINNING_DISK -> {
                dbOptions.setIncreaseParallelism(4).setMaxOpenFiles(-1);
                columnOptions.setCompactionStyle(CompactionStyle.LEVEL).setLevelCompactionDynamicLevelBytes(true)
                        .setTargetFileSizeBase(256L << 20).setMaxBytesForLevelBase(1L << 30)
                        .setMinWriteBufferNumberToMerge(Math.min(3, options.writeBufferCount()));
                table.setBlockSize(128 * 1024);
            }
            case FLASH -> dbOptions.setIncreaseParallelism(4).setMaxOpenFiles(-1);
            case DEFAULT -> { }
        }
        columnOptions.setWriteBufferSize(options.writeBufferSize()).setMaxWriteBufferNumber(options.writeBufferCount())
                .setTableFormatConfig(table);
        writeOptions = new WriteOptions().setDisableWAL(true);
        readOptions = new ReadOptions();

        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions));
        try {
            if (Files.exists(directory.resolve("CURRENT"))) {
                try (Options listing = new Options()) {
                    for (byte[] name : RocksDB.listColumnFamilies(listing, directory.toString())) {
                        if (!java.util.Arrays.equals(name, RocksDB.DEFAULT_COLUMN_FAMILY)) {
                            descriptors.add(new ColumnFamilyDescriptor(name, columnOptions));
                        }
                    }
                }
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
            metadata = handles.get(0);
            for (int i = 1; i < handles.size(); i++) {
                String name = new String(descriptors.get(i).getName(), StandardCharsets.UTF_8);
                states.put(name.substring(STATE_PREFIX.length()), handles.get(i));
            }
        } catch (RocksDBException e) {
            closeOptions();
            throw new IOException("Cannot open RocksDB in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Opens the database in {@code directory}, creating it if there is none. */
    static RocksInstance open(Path directory, RocksStateOptions options, SlotMemory memory) throws IOException {
        return new RocksInstance(directory, options, memory);
    }

    Path directory() {
        return directory;
    }

    RocksDB db() {
        return db;
    }

    WriteOptions writeOptions() {
        return writeOptions;
    }

    ReadOptions readOptions() {
        return readOptions;
    }

    ColumnFamilyHandle metadata() {
        return metadata;
    }

    /** The column family of a state, or null if it has none. */
    ColumnFamilyHandle state(String name) {
        return states.get(name);
    }

    /** The column families of all states present, by state name. */
    Map<String, ColumnFamilyHandle> states() {
        return states;
    }

    ColumnFamilyHandle createState(String name) throws RocksDBException {
        ColumnFamilyHandle handle = states.get(name);
        if (handle == null) {
            handle = db.createColumnFamily(new ColumnFamilyDescriptor(
                    (STATE_PREFIX + name).getBytes(StandardCharsets.UTF_8), columnOptions));
            states.put(name, handle);
        }
        return handle;
    }

    void dropState(String name) throws RocksDBException {
        ColumnFamilyHandle handle = states.remove(name);
        if (handle != null) {
            db.dropColumnFamily(handle);
            handle.close();
        }
    }

    /** Writes every memtable to SST files and waits for it. */
    void flush() throws RocksDBException {
        List<ColumnFamilyHandle> all = new ArrayList<>(states.values());
        all.add(metadata);
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, all);
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ColumnFamilyHandle handle : states.values()) {
            handle.close();
        }
        states.clear();
        metadata.close();
        db.close();
        closeOptions();
    }

    private void closeOptions() {
        if (writeOptions != null) {
            writeOptions.close();
        }
        if (readOptions != null) {
            readOptions.close();
        }
        columnOptions.close();
        dbOptions.close();
        listAppend.close();
        bloomFilter.close();
        if (ownCache != null) {
            ownCache.close();
        }
    }
}
