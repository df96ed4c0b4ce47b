package io.runnel.runtime.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.types.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How an input gate treats barriers besides aligning them: counted without blocking in
 * at-least-once mode, and acted on at once in unaligned checkpoints, where the gate keeps the records
 * still before the barrier (those the barrier overtook in its channel, the rest of the buffer the
 * task is working on, and what other channels deliver before their barrier) as in-flight state.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InputGateCheckpointingTest {

    private static Buffer data(long timestamp, Object... records) {
        Buffer buffer = Buffer.newBatch();
        for (Object record : records) {
            buffer.add(record, timestamp);
        }
        return buffer;
    }

    /** What the gate reports until it has nothing more right now. */
    private static List<String> drain(InputGate gate) {
        List<String> seen = new ArrayList<>();
        int emptyPolls = 0;
        while (emptyPolls < 2 && seen.size() < 20) {
            Buffer next = gate.pollNow();
            if (next == null) {
                emptyPolls++; // a poll that took only a buffer without news for the task returns null
                continue;
            }
            emptyPolls = 0;
            seen.add(describe(next));
        }
        return seen;
    }

    private static String describe(Buffer buffer) {
        return switch (buffer.kind) {
            case DATA -> {
                StringBuilder text = new StringBuilder("data");
                for (int i = 0; i < buffer.size; i++) {
                    text.append(' ').append(buffer.records[i]);
                }
                yield text.toString();
            }
            case BARRIER -> (buffer.isUnaligned() ? "unaligned barrier " : "barrier ") + buffer.checkpointId();
            case IN_FLIGHT_COMPLETE -> "in-flight complete " + buffer.checkpointId();
            case WATERMARK -> "watermark " + buffer.watermark;
            default -> buffer.kind.name();
        };
    }

    private static List<String> records(InFlightRecords inFlight) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < inFlight.size(); i++) {
            records.add(inFlight.record(i) + "@" + inFlight.timestamp(i) + "/" + inFlight.input(i));
        }
        return records;
    }

    @Test
    void atLeastOnceChannelsGoOnAfterTheirBarrierAndTheTaskHearsOnceAllHaveDeliveredIt() throws Exception {
        InputGate gate = new InputGate(CheckpointingMode.AT_LEAST_ONCE, null);
        InputChannel a = gate.addChannel("a");
        InputChannel b = gate.addChannel("b");
        a.put(data(0, "a1"));
        a.put(Buffer.barrier(1));
        a.put(data(0, "a2 after the barrier"));
        b.put(data(0, "b1"));

        assertThat(drain(gate)).as("a is not blocked after its barrier")
                .containsExactly("data a1", "data b1", "data a2 after the barrier");

        b.put(Buffer.barrier(1));
        b.put(data(0, "b2 after the barrier"));
        assertThat(drain(gate)).containsExactly("barrier 1", "data b2 after the barrier");
    }

    @Test
    void atLeastOnceANewerBarrierReplacesAnOlderOneAndLateOnesAreDropped() throws Exception {
        InputGate gate = new InputGate(CheckpointingMode.AT_LEAST_ONCE, null);
        InputChannel a = gate.addChannel("a");
        InputChannel b = gate.addChannel("b");
        a.put(Buffer.barrier(1));
        b.put(Buffer.barrier(2));
        a.put(Buffer.barrier(2));
        b.put(Buffer.barrier(1));
        b.put(data(0, "b after"));
        assertThat(drain(gate)).containsExactly("barrier 2", "data b after");
    }

    @Test
    void aChannelLetsAnUnalignedBarrierOvertakeAndCountsWhatItOvertook() throws Exception {
        InputGate gate = new InputGate();
        InputChannel channel = gate.addChannel("a");
        channel.put(data(0, "queued 1"));
        channel.put(data(0, "queued 2"));
        Buffer unsent = data(0, "half-full batch");

        assertThat(channel.putOvertaking(Buffer.unalignedBarrier(3), unsent)).isTrue();
        channel.put(data(0, "after the barrier"));

        Buffer first = channel.poll();
        assertThat(first.kind).isEqualTo(Buffer.Kind.BARRIER);
        assertThat(first.isOvertaking()).isTrue();
        assertThat(first.overtakenBuffers()).as("two queued buffers and the batch not sent yet").isEqualTo(3);
        assertThat(describe(channel.poll())).isEqualTo("data queued 1");
        assertThat(describe(channel.poll())).isEqualTo("data queued 2");
        assertThat(describe(channel.poll())).isEqualTo("data half-full batch");
        assertThat(describe(channel.poll())).isEqualTo("data after the barrier");
    }

    @Test
    void theFirstUnalignedBarrierGoesToTheTaskAtOnceAndWhatItOvertookBecomesInFlightState() throws Exception {
        InputGate gate = new InputGate();
        InputChannel a = gate.addChannel("a");
        InputChannel b = gate.addChannel("b", 1);
        a.put(data(10, "a1"));
        a.put(data(11, "a2"));
        b.put(data(20, "b1"));
        a.putOvertaking(Buffer.unalignedBarrier(5), data(12, "a3"));
        a.put(data(13, "a4 after the barrier"));

        assertThat(drain(gate)).as("the barrier first; nothing is blocked; b's records are still before its barrier")
                .containsExactly("unaligned barrier 5", "data a1", "data b1", "data a2", "data a3",
                        "data a4 after the barrier");
        b.put(data(21, "b2"));
        b.putOvertaking(Buffer.unalignedBarrier(5), null);
        b.put(data(22, "b3 after the barrier"));

        assertThat(drain(gate)).containsExactly("in-flight complete 5", "data b2", "data b3 after the barrier");
        assertThat(records(gate.takeInFlightRecords(5))).as("overtaken on a, taken from b before its barrier, overtaken on b")
                .containsExactly("a1@10/0", "a2@11/0", "a3@12/0", "b1@20/1", "b2@21/1");
        assertThat(gate.takeInFlightRecords(5)).as("taken once").isNull();
    }

    @Test
    void anUnalignedBarrierArrivingInTheMiddleOfABufferKeepsTheRecordsNotProcessedYet() throws Exception {
        InputGate gate = new InputGate();
        InputChannel a = gate.addChannel("a");
        InputChannel b = gate.addChannel("b");
        a.put(data(1, "r0", "r1", "r2", "r3"));
        a.put(data(2, "a next"));
        Buffer current = gate.pollNow();
        assertThat(describe(current)).isEqualTo("data r0 r1 r2 r3");

        // The task processed r0 and r1 when b's barrier overtook b's (empty) queue.
        b.putOvertaking(Buffer.unalignedBarrier(7), null);
        assertThat(describe(gate.pollOvertaking(current, 2, 0))).isEqualTo("unaligned barrier 7");
        assertThat(gate.pollOvertaking(current, 3, 0)).as("nothing more now").isNull();

        a.putOvertaking(Buffer.unalignedBarrier(7), null);
        assertThat(describe(gate.pollOvertaking(current, 3, 0))).isEqualTo("in-flight complete 7");
        assertThat(records(gate.takeInFlightRecords(7))).containsExactly("r2@1/0", "r3@1/0", "a next@2/0");
        assertThat(drain(gate)).containsExactly("data a next");
    }

    @Test
    void aBarrierThatCameInOrderOvertookNothingAndBlocksNothing() throws Exception {
        InputGate gate = new InputGate();
        InputChannel remote = gate.addChannel("from another TaskManager");
        InputChannel b = gate.addChannel("b");
        remote.put(data(0, "before, processed before the snapshot"));
        remote.put(Buffer.unalignedBarrier(4));
        remote.put(data(0, "after"));
        b.put(data(0, "b1"));
        assertThat(drain(gate)).containsExactly("data before, processed before the snapshot", "data b1",
                "unaligned barrier 4", "data after");

        b.put(data(0, "b2"));
        b.put(Buffer.unalignedBarrier(4));
        assertThat(drain(gate)).containsExactly("data b2", "in-flight complete 4");
        assertThat(records(gate.takeInFlightRecords(4))).containsExactly("b2@0/0");
    }

    @Test
    void aSingleChannelCompletesItsUnalignedCheckpointRightAfterStartingIt() throws Exception {
        InputGate gate = new InputGate();
        InputChannel only = gate.addChannel("only");
        only.put(data(0, "x"));
        only.putOvertaking(Buffer.unalignedBarrier(9), null);
        assertThat(drain(gate)).containsExactly("unaligned barrier 9", "in-flight complete 9", "data x");
        assertThat(records(gate.takeInFlightRecords(9))).containsExactly("x@0/0");
    }

    @Test
    void aNewerBarrierAbandonsAnUnalignedCheckpointAndItsRecords() throws Exception {
        InputGate gate = new InputGate();
        InputChannel a = gate.addChannel("a");
        InputChannel b = gate.addChannel("b");
        a.put(data(0, "old"));
        a.putOvertaking(Buffer.unalignedBarrier(1), null);
        b.putOvertaking(Buffer.unalignedBarrier(2), null);
        a.putOvertaking(Buffer.unalignedBarrier(2), null);
        b.putOvertaking(Buffer.unalignedBarrier(1), null); // late

        assertThat(drain(gate)).containsExactly("unaligned barrier 1", "unaligned barrier 2", "in-flight complete 2",
                "data old");
        assertThat(gate.takeInFlightRecords(1)).isNull();
        assertThat(records(gate.takeInFlightRecords(2))).containsExactly("old@0/0");
    }

    @Test
    void aSavepointBarrierIsAlignedWhileUnalignedCheckpointsAreOn() throws Exception {
        InputGate gate = new InputGate();
        InputChannel a = gate.addChannel("a");
        InputChannel b = gate.addChannel("b");
        a.putOvertaking(Buffer.unalignedBarrier(1), null);
        b.putOvertaking(Buffer.unalignedBarrier(1), null);
        a.put(Buffer.barrier(2));
        a.put(data(0, "a after the savepoint"));
        b.put(data(0, "b before the savepoint"));
        assertThat(drain(gate)).containsExactly("unaligned barrier 1", "in-flight complete 1",
                "data b before the savepoint");
        b.put(Buffer.barrier(2));
        assertThat(drain(gate)).containsExactly("barrier 2", "data a after the savepoint");
    }

    @Test
    void keptRecordsAreCopiesSoLaterChangesDoNotReachTheCheckpoint() throws Exception {
        InputGate gate = new InputGate(CheckpointingMode.EXACTLY_ONCE, Types.dynamic(getClass().getClassLoader()));
        InputChannel a = gate.addChannel("a");
        int[] record = {1, 2};
        a.put(data(0, (Object) record));
        a.putOvertaking(Buffer.unalignedBarrier(1), null);
        assertThat(drain(gate)).startsWith("unaligned barrier 1", "in-flight complete 1");
        record[0] = 99; // an operator changing its input in place
        int[] kept = (int[]) gate.takeInFlightRecords(1).record(0);
        assertThat(kept).containsExactly(1, 2);
    }

    @Test
    void anOvertakingBarrierWakesItsTaskAndIsTakenBeforeQueuedData() throws Exception {
        InputGate gate = new InputGate();
        InputChannel a = gate.addChannel("a");
        AtomicInteger woken = new AtomicInteger();
        gate.onOvertakingBarrier(woken::incrementAndGet);
        for (int i = 0; i < a.capacity(); i++) {
            a.put(data(0, "queued " + i));
        }
        assertThat(a.putOvertaking(Buffer.unalignedBarrier(2), null)).as("never waits, even when full").isTrue();
        assertThat(woken.get()).isEqualTo(1);
        assertThat(describe(gate.pollNow())).isEqualTo("unaligned barrier 2");
    }

    @Test
    void aProducerStopsWaitingForRoomWhenItsTaskHasWork() throws Exception {
        InputGate gate = new InputGate();
        InputChannel a = gate.addChannel("a");
        for (int i = 0; i < a.capacity(); i++) {
            a.put(data(0, i));
        }
        assertThat(a.hasRoom()).isFalse();
        AtomicBoolean workWaiting = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                a.put(data(0, "over capacity"), workWaiting::get);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        producer.start();
        Thread.sleep(100);
        assertThat(producer.isAlive()).as("waits for room while there is no work").isTrue();

        workWaiting.set(true);
        LockSupport.unpark(producer); // what the task's wake() does
        producer.join(5_000);
        assertThat(producer.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        int buffers = 0;
        while (a.poll() != null) {
            buffers++;
        }
        assertThat(buffers).isEqualTo(a.capacity() + 1);
    }

    @Test
    void aProducerWaitingForRoomIsWokenWhenTheConsumerTakesABuffer() throws Exception {
        InputGate gate = new InputGate();
        InputChannel a = gate.addChannel("a");
        for (int i = 0; i < a.capacity(); i++) {
            a.put(data(0, i));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                a.awaitRoom(TimeUnit.SECONDS.toNanos(30));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        long start = System.nanoTime();
        producer.start();
        Thread.sleep(50);
        a.poll();
        producer.join(5_000);
        assertThat(producer.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(a.hasRoom()).isTrue();
    }
}
