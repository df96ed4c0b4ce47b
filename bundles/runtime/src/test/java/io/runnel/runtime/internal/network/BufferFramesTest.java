package io.runnel.runtime.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.runnel.runtime.internal.task.Buffer;
import java.io.DataInput;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Buffers to frames and back, without a network. */
class BufferFramesTest {

    private static final RecordSerializer SERIALIZER = new LongOrStringSerializer();

    @Test
    void dataBuffersKeepRecordsAndTimestamps() {
        Buffer batch = Buffer.newBatch();
        batch.add(42L, 7);
        batch.add("zwölf", Long.MIN_VALUE);
        batch.add(-1L, Long.MAX_VALUE);

        Buffer decoded = roundTrip(batch, SERIALIZER);

        assertThat(decoded.kind()).isEqualTo(Buffer.Kind.DATA);
        assertThat(decoded.size()).isEqualTo(3);
        assertThat(decoded.record(0)).isEqualTo(42L);
        assertThat(decoded.record(1)).isEqualTo("zwölf");
        assertThat(decoded.record(2)).isEqualTo(-1L);
        assertThat(decoded.timestamp(0)).isEqualTo(7);
        assertThat(decoded.timestamp(1)).isEqualTo(Long.MIN_VALUE);
        assertThat(decoded.timestamp(2)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void eventsComeBackAsTheSameEvents() {
        assertThat(roundTrip(Buffer.watermark(1234), SERIALIZER).watermark()).isEqualTo(1234);
        assertThat(roundTrip(Buffer.IDLE, SERIALIZER)).isSameAs(Buffer.IDLE);
        assertThat(roundTrip(Buffer.ACTIVE, SERIALIZER)).isSameAs(Buffer.ACTIVE);
        assertThat(roundTrip(Buffer.END_OF_PARTITION, SERIALIZER)).isSameAs(Buffer.END_OF_PARTITION);
        Buffer barrier = roundTrip(Buffer.barrier(77), SERIALIZER);
        assertThat(barrier.kind()).isEqualTo(Buffer.Kind.BARRIER);
        assertThat(barrier.checkpointId()).isEqualTo(77);
        assertThat(barrier.isUnaligned()).isFalse();
    }

    @Test
    void anUnalignedBarrierStaysUnalignedButArrivesInOrder() {
        Buffer barrier = roundTrip(Buffer.unalignedBarrier(78), SERIALIZER);
        assertThat(barrier.kind()).isEqualTo(Buffer.Kind.BARRIER);
        assertThat(barrier.checkpointId()).isEqualTo(78);
        assertThat(barrier.isUnaligned()).isTrue();
        assertThat(barrier.isOvertaking()).as("a remote channel does not let barriers overtake").isFalse();
    }

    @Test
    void aSerializerThatReadsMoreOrLessThanItWroteIsCaught() {
        RecordSerializer forgetful = new LongOrStringSerializer() {
            @Override
            public Object read(DataInput in) throws IOException {
                Object record = super.read(in);
                in.readByte(); // pretends there was a trailing byte, so it is one ahead
                return record;
            }
        };
        Buffer batch = Buffer.newBatch();
        batch.add(1L, 1);
        assertThatThrownBy(() -> roundTrip(batch, forgetful))
                .isInstanceOf(BufferFrames.RecordSerializationException.class)
                .hasMessageContaining("reads more bytes than it writes");

        RecordSerializer lazy = new LongOrStringSerializer() {
            @Override
            public Object read(DataInput in) throws IOException {
                in.readByte();
                return "never mind the rest";
            }
        };
        Buffer one = Buffer.newBatch();
        one.add(99L, 1);
        assertThatThrownBy(() -> roundTrip(one, lazy))
                .isInstanceOf(BufferFrames.RecordSerializationException.class)
                .hasMessageContaining("left 8 bytes of a buffer unread");
    }

    @Test
    void aRecordTheSerializerCannotWriteIsNamed() {
        Buffer batch = Buffer.newBatch();
        batch.add(1L, 1);
        batch.add(3.5, 2);
        assertThatThrownBy(() -> BufferFrames.encode(UnpooledByteBufAllocator.DEFAULT, 1, batch, SERIALIZER))
                .isInstanceOf(BufferFrames.RecordSerializationException.class)
                .hasMessageContaining("record 2 of 2 (java.lang.Double 3.5)")
                .hasMessageContaining("only Long and String records");
    }

    private static Buffer roundTrip(Buffer buffer, RecordSerializer serializer) {
        ByteBuf frame = BufferFrames.encode(UnpooledByteBufAllocator.DEFAULT, 17, buffer, serializer);
        try {
            assertThat(frame.readInt()).as("length field").isEqualTo(frame.readableBytes());
            assertThat(frame.readByte()).isEqualTo(Protocol.BUFFER);
            assertThat(frame.readInt()).as("stream").isEqualTo(17);
            return BufferFrames.decode(frame, serializer);
        } finally {
            frame.release();
        }
    }
}
