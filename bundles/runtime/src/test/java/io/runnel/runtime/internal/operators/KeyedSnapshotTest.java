package io.runnel.runtime.internal.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.spi.state.ChunkedBytes;
import io.runnel.spi.state.KeyedStateHandle;
import io.runnel.spi.state.KeyedStateSnapshot;
import io.runnel.spi.state.NativeStateHandle;
import io.runnel.spi.state.PortableStateHandle;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The backend's asynchronous part runs once, a discarded snapshot lets the backend release it, and native handles are written only where allowed. */
class KeyedSnapshotTest {

    /** Counts materializations and discards; answers with {@code handle}. */
    private static final class Recording implements KeyedStateSnapshot {
        final AtomicInteger materialized = new AtomicInteger();
        final AtomicInteger discarded = new AtomicInteger();
        private final KeyedStateHandle handle;

        Recording(KeyedStateHandle handle) {
            this.handle = handle;
        }

        @Override
        public KeyedStateHandle materialize() {
            materialized.incrementAndGet();
            return handle;
        }

        @Override
        public void discard() {
            discarded.incrementAndGet();
        }
    }

    private static ChunkedBytes bytes(int... values) {
        ChunkedBytes bytes = new ChunkedBytes();
        for (int value : values) {
            bytes.writeInt(value);
        }
        return bytes;
    }

    private static byte[] written(KeyedSnapshot snapshot) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        snapshot.writeTo(new DataOutputStream(out));
        return out.toByteArray();
    }

    @Test
    void theAsynchronousPartRunsOnceAndItsBytesComeBeforeTheTimers() throws Exception {
        Recording state = new Recording(new PortableStateHandle(bytes(1, 2)));
        KeyedSnapshot snapshot = KeyedSnapshot.of(state, bytes(3));
        byte[] first = written(snapshot);
        assertThat(written(snapshot)).isEqualTo(first);
        assertThat(snapshot.newInputStream().readAllBytes()).hasSize(12);
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(first));
        assertThat(in.readInt()).as("length").isEqualTo(12);
        assertThat(List.of(in.readInt(), in.readInt(), in.readInt())).containsExactly(1, 2, 3);
        assertThat(state.materialized).hasValue(1);
        snapshot.discard();
        assertThat(state.discarded).as("written already: nothing to release").hasValue(0);
    }

    @Test
    void aDiscardedSnapshotIsReleasedOnceAndNeverWritten() {
        Recording state = new Recording(new PortableStateHandle(bytes(1)));
        KeyedSnapshot snapshot = KeyedSnapshot.of(state, bytes());
        snapshot.discard();
        snapshot.discard();
        assertThat(state.discarded).hasValue(1);
        assertThatThrownBy(() -> written(snapshot)).isInstanceOf(IOException.class).hasMessageContaining("discarded");
        assertThat(state.materialized).hasValue(0);
    }

    @Test
    void aNativeHandleIsRefusedWhereThePortableFormatWasAskedForAndNamesItsSharedFilesOtherwise() throws Exception {
        NativeStateHandle handle = new NativeStateHandle("rocks", 128, 0, 127, List.of("a/1.sst"), List.of("MANIFEST"),
                new byte[] {7});
        assertThatThrownBy(() -> written(KeyedSnapshot.of(new Recording(handle), bytes())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'rocks'")
                .hasMessageContaining("native");

        KeyedSnapshot allowed = KeyedSnapshot.of(new Recording(handle), bytes(), "keyed-op-0");
        byte[] bytes = written(allowed);
        assertThat(allowed.sharedFiles()).containsExactly("a/1.sst");
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        in.readInt();
        assertThat(in.readInt()).isEqualTo(KeyedSnapshot.NATIVE_MAGIC);
        KeyedSnapshot.NativeSection section = KeyedSnapshot.readNative(in);
        assertThat(section.privateDirectory()).isEqualTo("keyed-op-0");
        assertThat(section.handle().sharedFiles()).containsExactly("a/1.sst");
        assertThat(section.handle().privateFiles()).containsExactly("MANIFEST");
        assertThat(section.handle().metadata()).containsExactly(7);
    }
}
