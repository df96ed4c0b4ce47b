package io.runnel.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backends of one task slot share one RocksDB memory bound, freed when the last of them closes. */
class SlotMemoryRegistryTest {

    static final ValueStateDescriptor<String> GREETING = new ValueStateDescriptor<>("greeting", String.class);

    @TempDir
    Path root;
    final SlotMemoryRegistry slots = new SlotMemoryRegistry();
    final List<RocksStateBackend> open = new ArrayList<>();

    @AfterEach
    void tearDown() {
        open.forEach(RocksStateBackend::dispose);
        assertThat(slots.slotsInUse()).isZero();
        assertThat(RocksNativeLibrary.openCount()).isZero();
    }

    RocksStateBackend create(String slot) throws IOException {
        Context context = new Context(root.resolve("local-" + open.size()), slot);
        RocksStateOptions options = RocksStateOptions.fromConfig(Map.of(
                RocksStateOptions.MANAGED_MEMORY_PER_SLOT, "16 mb", RocksStateOptions.WRITE_BUFFER_SIZE, "2 mb"), root);
        RocksStateBackend backend = RocksStateBackend.create(context, options, context.localDirectory(), slots, () -> { });
        open.add(backend);
        return backend;
    }

    @Test
    void backendsOfOneSlotShareItsMemoryAndOtherSlotsHaveTheirOwn() throws Exception {
        RocksStateBackend first = create("job-1/slot-0");
        RocksStateBackend second = create("job-1/slot-0");
        RocksStateBackend otherSlot = create("job-1/slot-1");
        RocksStateBackend noSlot = create(null);

        assertThat(second.slotMemory()).isSameAs(first.slotMemory());
        assertThat(otherSlot.slotMemory()).isNotSameAs(first.slotMemory());
        assertThat(noSlot.slotMemory()).isNotNull().isNotSameAs(first.slotMemory()).isNotSameAs(otherSlot.slotMemory());
        assertThat(slots.slotsInUse()).as("slots with memory (the slotless backend's is its own)").isEqualTo(2);
        assertThat(slots.usersOf("job-1/slot-0")).isEqualTo(2);
        assertThat(first.slotMemory().bytes()).isEqualTo(16L << 20);
    }

    @Test
    void theMemoryOutlivesAllButTheLastBackendOfTheSlot() throws Exception {
        RocksStateBackend first = create("slot");
        RocksStateBackend second = create("slot");
        SlotMemory memory = first.slotMemory();
        write(first, "from the first");
        write(second, "from the second");

        first.dispose();
        assertThat(slots.usersOf("slot")).isEqualTo(1);
        assertThat(memory.isOpen()).isTrue();
        // The second instance still charges its memtables and blocks to the shared cache.
        write(second, "still working");
        second.setCurrentKey("k");
        assertThat(second.valueState(GREETING).value()).isEqualTo("still working");

        second.dispose();
        assertThat(slots.usersOf("slot")).isZero();
        assertThat(slots.slotsInUse()).isZero();
        assertThat(memory.isOpen()).isFalse();

        RocksStateBackend next = create("slot");
        assertThat(next.slotMemory()).as("a slot used again gets new memory").isNotSameAs(memory);
        assertThat(next.slotMemory().isOpen()).isTrue();
    }

    @Test
    void releasingMoreThanAcquiredIsRefused() {
        SlotMemory memory = slots.acquire("s", 16L << 20);
        slots.release("s", memory);
        assertThatThrownBy(() -> slots.release("s", memory)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'s'");
    }

    static void write(KeyedStateBackend backend, String value) {
        ValueState<String> state = backend.valueState(GREETING);
        backend.setCurrentKey("k");
        state.update(value);
    }

    /** A context over all 128 key groups that names {@code slot} (none if null). */
    private record Context(Path directory, String slot) implements KeyedStateBackendContext {
        @Override
        public int firstKeyGroup() {
            return 0;
        }

        @Override
        public int lastKeyGroup() {
            return 127;
        }

        @Override
        public int maxParallelism() {
            return 128;
        }

        @Override
        public LongSupplier processingTimeClock() {
            return System::currentTimeMillis;
        }

        @Override
        public ClassLoader userClassLoader() {
            return SlotMemoryRegistryTest.class.getClassLoader();
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<Object> keySerializer() {
            return (TypeSerializer<Object>) (TypeSerializer<?>) Types.STRING;
        }

        @Override
        public Optional<TypeSerializer<Object>> namespaceSerializer() {
            return Optional.empty();
        }

        @Override
        public String owner() {
            return "";
        }

        @Override
        public Map<String, String> options() {
            return Map.of();
        }

        @Override
        public Path localDirectory() throws IOException {
            return Files.createDirectories(directory);
        }

        @Override
        public Optional<Path> sharedStateDirectory() {
            return Optional.empty();
        }

        @Override
        public Optional<String> slotId() {
            return Optional.ofNullable(slot);
        }
    }
}
