package io.runnel.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RocksStateOptionsTest {

    @Test
    void defaults() {
        RocksStateOptions options = RocksStateOptions.defaults(Path.of("/data"));
        assertThat(options.localDirectory()).isEqualTo(Path.of("/data/rocksdb"));
        assertThat(options.profile()).isEqualTo(RocksStateOptions.Profile.DEFAULT);
        assertThat(options.blockCacheSize()).isEqualTo(64L << 20);
        assertThat(options.writeBufferSize()).isEqualTo(64L << 20);
        assertThat(options.writeBufferCount()).isEqualTo(2);
        assertThat(options.managedMemoryPerSlot()).isEqualTo(256L << 20);
        assertThat(options.incremental()).isTrue();
        assertThat(options.writeCacheSize()).isEqualTo(32L << 20);
        assertThat(RocksStateOptions.defaults(null).localDirectory().toString())
                .startsWith(System.getProperty("java.io.tmpdir"));
    }

    @Test
    void readsEveryKey() {
        RocksStateOptions options = RocksStateOptions.fromConfig(Map.of(
                "state.backend.rocksdb.localdir", "/fast/rocks",
                "state.backend.rocksdb.predefined-options", "flash",
                "state.backend.rocksdb.block.cache-size", "128 MB",
                "state.backend.rocksdb.writebuffer.size", "32m",
                "state.backend.rocksdb.writebuffer.count", "3",
                "state.backend.rocksdb.memory.managed-per-slot", "1g",
                "state.backend.rocksdb.incremental", "false",
                "state.backend.rocksdb.write-cache.size", "8 mb",
                "state.backend.type", "rocksdb"), null);
        assertThat(options).isEqualTo(new RocksStateOptions(Path.of("/fast/rocks"), RocksStateOptions.Profile.FLASH,
                128L << 20, 32L << 20, 3, 1L << 30, false, 8L << 20));
        assertThat(RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.memory.managed-per-slot", "0"), null)
                .managedMemoryPerSlot()).as("0 turns the bound off").isZero();
    }

    @Test
    void badValuesNameKeyValueAndFix() {
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.block.cache-size", "lots"), null))
                .hasMessageContaining("state.backend.rocksdb.block.cache-size = 'lots'").hasMessageContaining("like '64 mb'");
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.predefined-options", "SSD"), null))
                .hasMessageContaining("'SSD' is not one of DEFAULT, SPINNING_DISK, FLASH");
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.writebuffer.count", "0"), null))
                .hasMessageContaining("writebuffer.count is 0").hasMessageContaining("between 1 and 64");
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.localdir", "relative/dir"), null))
                .hasMessageContaining("'relative/dir' must be an absolute path");
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.incremental", "yes"), null))
                .hasMessageContaining("'yes' must be true or false");
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.memory.managed-per-slot", "1 mb"), null))
                .hasMessageContaining("below the minimum");
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.memory.managed-per-slot", "64 mb"), null))
                .hasMessageContaining("more than half of state.backend.rocksdb.memory.managed-per-slot");
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.blockcache.size", "1g"), null))
                .hasMessageContaining("Unknown RocksDB state backend option(s) [state.backend.rocksdb.blockcache.size]")
                .hasMessageContaining("state.backend.rocksdb.block.cache-size");
        assertThatThrownBy(() -> RocksStateOptions.fromConfig(Map.of("state.backend.rocksdb.writebuffer.size", "99999999999 gb"), null))
                .hasMessageContaining("too large");
    }
}
