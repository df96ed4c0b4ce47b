package io.runnel.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.Types;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a full first checkpoint, a checkpoint of a job that touched 1 % of its keys uploads a small
 * fraction of the full size; with incremental checkpoints off, it uploads everything again. Runs with
 * slot memory bounding the instance, as in a node.
 */
class CheckpointSizeTest {

    static final int KEYS = 200_000;
    static final ValueStateDescriptor<String> PAYLOAD = new ValueStateDescriptor<>("payload", String.class);

    @TempDir
    Path root;

    @Test
    void incrementalCheckpointOfOnePercentOfKeysIsSmall() throws Exception {
        long[] sizes = run(true);
        System.out.printf("RocksDB checkpoint sizes: full %,d bytes, incremental after touching 1%% of %,d keys %,d bytes "
                + "(%.2f %%)%n", sizes[0], KEYS, sizes[1], 100.0 * sizes[1] / sizes[0]);
        assertThat(sizes[0]).as("the full checkpoint holds every key").isGreaterThan(KEYS * 40L);
        assertThat((double) sizes[1] / sizes[0]).isLessThan(0.05);
    }

    @Test
    void withIncrementalOffEveryCheckpointIsFull() throws Exception {
        long[] sizes = run(false);
        System.out.printf("RocksDB checkpoint sizes, incremental off: first %,d bytes, second %,d bytes%n", sizes[0], sizes[1]);
        assertThat(sizes[1]).isGreaterThan(sizes[0]);
    }

    /** About 100 bytes that compress poorly, as real values do, and are the same for a key every time. */
    private static String original(int key) {
        java.util.Random random = new java.util.Random(key);
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            value.append(Long.toString(random.nextLong(), 36));
        }
        return value.toString();
    }

    /** The uploaded size of a first checkpoint and of a second one after 1 % of the keys changed. */
    private long[] run(boolean incremental) throws Exception {
        RocksStateOptions options = RocksStateOptions.defaults(root).withLocalDirectory(root.resolve("local"));
        options = new RocksStateOptions(options.localDirectory(), options.profile(), options.blockCacheSize(),
                options.writeBufferSize(), options.writeBufferCount(), options.managedMemoryPerSlot(), incremental,
                options.writeCacheSize());
        try (SlotMemory memory = new SlotMemory(options.managedMemoryPerSlot())) {
            BackendSetup setup = new BackendSetup(root.resolve("local/instance"), Backends.all(), Types.INT, null,
                    System::currentTimeMillis, options, memory);
            try (RocksKeyedStateBackend backend = RocksKeyedStateBackend.create(setup)) {
                ValueState<String> payload = backend.valueState(PAYLOAD);
                for (int key = 0; key < KEYS; key++) {
                    backend.setCurrentKey(key);
                    payload.update(original(key));
                }
                IncrementalSnapshotHandle full = backend.checkpoint(1).upload(root.resolve("shared"));
                backend.notifyCheckpointComplete(1);
                for (int key = 0; key < KEYS; key += 100) {
                    backend.setCurrentKey(key);
                    payload.update("changed " + key);
                }
                IncrementalSnapshotHandle next = backend.checkpoint(2).upload(root.resolve("shared"));
                backend.notifyCheckpointComplete(2);
                assertThat(next.totalSize()).as("the second checkpoint still describes all the state")
                        .isGreaterThanOrEqualTo(full.totalSize());

                try (RocksKeyedStateBackend restored = RocksKeyedStateBackend.restore(
                        new BackendSetup(root.resolve("local/restored"), Backends.all(), Types.INT, null,
                                System::currentTimeMillis, options, memory), List.of(next), root.resolve("shared"))) {
                    ValueState<String> restoredPayload = restored.valueState(PAYLOAD);
                    for (int key = 0; key < KEYS; key += 99) {
                        restored.setCurrentKey(key);
                        assertThat(restoredPayload.value()).isEqualTo(key % 100 == 0 ? "changed " + key : original(key));
                    }
                }
                return new long[] {full.uploadedSize(), next.uploadedSize()};
            }
        }
    }
}
