package io.runnel.runtime.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InputGateTest {

    private final InputGate gate = new InputGate();
    private final InputChannel a = gate.addChannel("a");
    private final InputChannel b = gate.addChannel("b");

    @Test
    void theInputWatermarkIsTheMinimumOverChannelsAndNeverGoesBack() throws Exception {
        a.put(Buffer.watermark(10));
        assertThat(drain()).as("b has no watermark yet").isEmpty();
        b.put(Buffer.watermark(5));
        assertThat(drain()).containsExactly("watermark 5");
        b.put(Buffer.watermark(20));
        assertThat(drain()).containsExactly("watermark 10");
        a.put(Buffer.watermark(8)); // a channel's watermark going back is ignored
        b.put(Buffer.watermark(30));
        assertThat(drain()).isEmpty();
        a.put(Buffer.watermark(25));
        assertThat(drain()).containsExactly("watermark 25");
    }

    @Test
    void idleChannelsDoNotHoldEventTimeBack() throws Exception {
        a.put(Buffer.watermark(100));
        b.put(Buffer.IDLE);
        assertThat(drain()).containsExactly("watermark 100");
        a.put(Buffer.IDLE);
        assertThat(drain()).containsExactly("idle");
        b.put(Buffer.ACTIVE);
        b.put(Buffer.watermark(150));
        assertThat(drain()).containsExactly("active", "watermark 150");
    }

    @Test
    void endedChannelsCountAsCompleteAndTheEndIsNull() throws Exception {
        a.put(Buffer.watermark(7));
        a.put(Buffer.END_OF_PARTITION);
        b.put(Buffer.watermark(3));
        assertThat(drain()).containsExactly("watermark 3");
        b.put(Buffer.watermark(Long.MAX_VALUE));
        b.put(Buffer.END_OF_PARTITION);
        assertThat(drain()).containsExactly("watermark " + Long.MAX_VALUE);
        assertThat(gate.isFinished()).isTrue();
        assertThat(gate.next(() -> {}, () -> 0)).isNull();
    }

    @Test
    void recordsComeThroughWithTheirTimestamps() throws Exception {
        Buffer batch = Buffer.newBatch();
        batch.records[0] = "x";
        batch.timestamps[0] = 42;
        batch.size = 1;
        a.put(batch);
        Buffer received = gate.pollNow();
        assertThat(received.kind).isEqualTo(Buffer.Kind.DATA);
        assertThat(received.timestamps[0]).isEqualTo(42);
    }

    @Test
    void aFailedGateThrowsOnTheNextReadEvenWithBuffersQueued() throws Exception {
        a.put(Buffer.watermark(1));
        gate.fail(new IllegalStateException("producer lost"));
        gate.fail(new IllegalStateException("a later failure")); // the first one wins

        assertThatThrownBy(() -> gate.next(() -> {}, () -> Long.MAX_VALUE))
                .isInstanceOf(InputFailureException.class).hasMessage("producer lost")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aConsumerWaitingForInputWakesUpWhenTheGateFails() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                gate.next(() -> {}, () -> Long.MAX_VALUE);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        consumer.start();
        Thread.sleep(50);
        gate.fail(new IllegalStateException("connection closed"));
        consumer.join(5_000);
        assertThat(consumer.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InputFailureException.class).hasMessage("connection closed");
    }

    @Test
    void offerNeverWaitsAndTheHookRunsForEachBufferTaken() throws Exception {
        AtomicInteger taken = new AtomicInteger();
        a.onBufferTaken(taken::incrementAndGet);
        for (int i = 0; i < a.capacity(); i++) {
            assertThat(a.offer(Buffer.watermark(i))).isTrue();
        }
        assertThat(a.offer(Buffer.watermark(99))).as("full").isFalse();

        b.put(Buffer.END_OF_PARTITION);
        drain();
        assertThat(taken.get()).as("only a's buffers count").isEqualTo(a.capacity());
        a.onBufferTaken(null);
        a.put(Buffer.IDLE);
        drain();
        assertThat(taken.get()).isEqualTo(a.capacity());
    }

    /** A DATA buffer holding {@code record} alone. */
    private static Buffer data(Object record) {
        Buffer buffer = Buffer.newBatch();
        buffer.add(record, 0);
        return buffer;
    }

    @Test
    void aChannelThatDeliveredTheBarrierWaitsForTheOthers() throws Exception {
        a.put(data("a1"));
        a.put(Buffer.barrier(1));
        a.put(data("a2 after the barrier"));
        b.put(data("b1"));
        assertThat(drain()).containsExactly("data a1", "data b1");
        b.put(data("b2"));
        b.put(Buffer.barrier(1));
        b.put(data("b3 after the barrier"));
        assertThat(drain()).containsExactly("data b2", "barrier 1", "data a2 after the barrier", "data b3 after the barrier");
    }

    @Test
    void aNewerBarrierEndsAnOlderAlignmentAndLateOnesAreDropped() throws Exception {
        a.put(Buffer.barrier(1));
        b.put(Buffer.barrier(2)); // checkpoint 1 will not complete; b waits for 2 on a
        assertThat(drain()).isEmpty();
        a.put(Buffer.barrier(2));
        assertThat(drain()).containsExactly("barrier 2");
        b.put(Buffer.barrier(1)); // late, superseded
        b.put(data("b after"));
        assertThat(drain()).containsExactly("data b after");
    }

    @Test
    void aChannelEndingDuringAlignmentNoLongerHoldsItBack() throws Exception {
        a.put(Buffer.watermark(5));
        a.put(Buffer.barrier(7));
        b.put(Buffer.watermark(3));
        b.put(Buffer.END_OF_PARTITION);
        assertThat(drain()).containsExactly("watermark 3", "barrier 7", "watermark 5");
    }

    @Test
    void aSingleChannelPassesItsBarrierAtOnce() throws Exception {
        InputGate single = new InputGate();
        InputChannel only = single.addChannel("only");
        only.put(data("x"));
        only.put(Buffer.barrier(4));
        assertThat(single.pollNow().kind).isEqualTo(Buffer.Kind.DATA);
        Buffer barrier = single.pollNow();
        assertThat(barrier.kind).isEqualTo(Buffer.Kind.BARRIER);
        assertThat(barrier.checkpointId()).isEqualTo(4);
    }

    /** What the gate reports until it has nothing more right now. */
    private List<String> drain() throws InterruptedException {
        List<String> seen = new ArrayList<>();
        int emptyPolls = 0;
        while (true) {
            Buffer next = gate.pollNow();
            if (next == null) {
                // A poll passes each channel once; a buffer that changes nothing for the task (a stale
                // barrier, a watermark below the others) makes it return null with more queued.
                if (++emptyPolls == 2) {
                    return seen;
                }
                continue;
            }
            emptyPolls = 0;
            switch (next.kind) {
                case WATERMARK -> seen.add("watermark " + next.watermark);
                case IDLE -> seen.add("idle");
                case ACTIVE -> seen.add("active");
                case BARRIER -> seen.add("barrier " + next.watermark);
                case DATA -> seen.add("data " + next.records[0]);
                default -> seen.add(next.kind.name());
            }
            if (seen.size() > 10) {
                return seen;
            }
        }
    }
}
