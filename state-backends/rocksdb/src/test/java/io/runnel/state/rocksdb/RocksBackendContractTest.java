package io.runnel.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.testkit.KeyedStateBackendContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The RocksDB backend keeps the keyed state backend contract, with real RocksDB: checkpoints in the
 * contract are native incremental ones, savepoints portable, and a savepoint moves to the heap backend
 * and back. Small memory, so that several instances in one test stay light.
 */
class RocksBackendContractTest extends KeyedStateBackendContractTest {

    @Override
    protected StateBackendFactory factory() {
        return new RocksStateBackendFactory();
    }

    @Override
    protected Map<String, String> options() {
        return Map.of("memory.managed-per-slot", "16 mb", "writebuffer.size", "4 mb");
    }

    @Test
    void stateCallsAfterDisposeAreRefusedClearlyAndDisposeIsIdempotent() throws Exception {
        KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
        ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("v", Long.class));
        backend.setCurrentKey("k");
        value.update(1L);
        backend.dispose();
        backend.dispose();
        assertThatThrownBy(value::value).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> backend.valueState(new ValueStateDescriptor<>("w", Long.class)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void aWrongOptionIsRefusedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> factory().validateOptions(Map.of("writebuffer.count", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state.backend.rocksdb.writebuffer.count").hasMessageContaining("0");
        assertThatThrownBy(() -> factory().validateOptions(Map.of("block-cache", "1 mb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state.backend.rocksdb.block-cache");
        factory().validateOptions(Map.of("incremental", "false", "localdir", "/tmp/x"));
    }
}
