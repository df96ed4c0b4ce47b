package io.runnel.runtime.internal.execution;

import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

/**
 * A sink with the two-phase commit a transactional sink (Kafka's) has, writing into memory: records
 * go into an open transaction; at a checkpoint's snapshot the transaction is pre-committed (its
 * records kept in the writer state under its id); when the checkpoint completes it is committed;
 * a restored writer commits the transactions in its state. Committing a transaction id twice
 * keeps the first, as a broker would. So what is committed is each record exactly once, if the
 * runtime drives the sink correctly; tests compare it with a failure-free run.
 */
final class TransactionalTestSink implements SinkProvider {

    static final String CONNECTOR = "transactional";
    private static final String OUTPUT = "output";
    private static final String ASYNC = "async";
    private static final String FAIL_STAGE = "fail-stage";
    /** Completes asynchronous snapshots a few milliseconds after they were taken. */
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "transactional test sink acknowledgements");
        thread.setDaemon(true);
        return thread;
    });
    /** Asynchronous snapshots taken, by output name. */
    private static final ConcurrentMap<String, AtomicInteger> ASYNC_SNAPSHOTS = new ConcurrentHashMap<>();
    /** What the runtime did wrong with asynchronous snapshots, by output name. */
    private static final ConcurrentMap<String, List<String>> VIOLATIONS = new ConcurrentHashMap<>();
    /** Whether the stage meant to fail has failed, by output name. */
    private static final ConcurrentMap<String, AtomicBoolean> STAGE_FAILED = new ConcurrentHashMap<>();

    /** Committed transactions by output name, then transaction id. */
    private static final ConcurrentMap<String, ConcurrentMap<String, List<String>>> COMMITTED = new ConcurrentHashMap<>();
    /** The subtasks whose writer was told the input ended, by output name. */
    private static final ConcurrentMap<String, Set<Integer>> FINISHED = new ConcurrentHashMap<>();

    static <T> SinkDescriptor<T> into(String output) {
        COMMITTED.put(output, new ConcurrentHashMap<>());
        FINISHED.put(output, ConcurrentHashMap.newKeySet());
        return new SinkDescriptor<>(CONNECTOR, Map.of(OUTPUT, output));
    }

    /**
     * Like {@link #into}, but the writer pre-commits asynchronously ({@code snapshotStateAsync}):
     * each checkpoint's state becomes valid 5 ms after the barrier, on another thread. The stage of
     * checkpoint {@code failStage} (if positive) fails, once. The writer records a violation when it
     * is told of a completed checkpoint whose stage has not completed.
     */
    static <T> SinkDescriptor<T> intoAsync(String output, long failStage) {
        into(output);
        ASYNC_SNAPSHOTS.put(output, new AtomicInteger());
        VIOLATIONS.put(output, new CopyOnWriteArrayList<>());
        STAGE_FAILED.put(output, new AtomicBoolean());
        return new SinkDescriptor<>(CONNECTOR, Map.of(OUTPUT, output, ASYNC, "true", FAIL_STAGE, String.valueOf(failStage)));
    }

    /** How many asynchronous snapshots the writers of {@code output} took. */
    static int asyncSnapshots(String output) {
        return ASYNC_SNAPSHOTS.get(output).get();
    }

    /** Whether the stage meant to fail did. */
    static boolean stageFailed(String output) {
        return STAGE_FAILED.get(output).get();
    }

    /** Checkpoints the runtime reported complete to a writer of {@code output} before their stage completed. */
    static List<String> violations(String output) {
        return List.copyOf(VIOLATIONS.get(output));
    }

    /**
     * A local environment with this sink, the datagen source and heap state, checkpointing every
     * {@code interval} into {@code checkpoints} (two retained), restarting up to 3 times.
     */
    static LocalStreamEnvironment checkpointedEnvironment(Path checkpoints, Duration interval, boolean unaligned) {
        MapConnectorRegistry connectors = new MapConnectorRegistry()
                .withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory())
                .withSource("datagen", new DatagenSource())
                .withSink(CONNECTOR, new TransactionalTestSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 2);
        env.enableCheckpointing(interval);
        env.getCheckpointConfig().setDirectory(checkpoints.toString()).setNumRetained(2).setUnaligned(unaligned);
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(20)));
        return env;
    }

    /** "0" .. "count - 1": what a generator of {@code i -> i} emits, as committed. */
    static List<String> numbers(long count) {
        return LongStream.range(0, count).mapToObj(String::valueOf).toList();
    }

    /** The committed transactions of {@code output}, to {@link #reset} it to later. */
    static Map<String, List<String>> transactions(String output) {
        return Map.copyOf(COMMITTED.get(output));
    }

    /** Makes {@code output} hold exactly {@code transactions}, and returns a descriptor writing to it. */
    static <T> SinkDescriptor<T> reset(String output, Map<String, List<String>> transactions) {
        COMMITTED.put(output, new ConcurrentHashMap<>(transactions));
        return new SinkDescriptor<>(CONNECTOR, Map.of(OUTPUT, output));
    }

    /** The subtasks of {@code output} whose writer's {@code finish()} ran (in any attempt). */
    static Set<Integer> finishedSubtasks(String output) {
        return Set.copyOf(FINISHED.getOrDefault(output, Set.of()));
    }

    /** Every committed record of {@code output}, in no particular order. */
    static List<String> committed(String output) {
        List<String> all = new ArrayList<>();
        COMMITTED.getOrDefault(output, new ConcurrentHashMap<>()).values().forEach(all::addAll);
        return all;
    }

    @Override
    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
        return writer(descriptor, subtask);
    }

    private static <T> Writer<T> writer(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
        String output = (String) descriptor.parameters().get(OUTPUT);
        if (descriptor.parameters().containsKey(ASYNC)) {
            return new AsyncWriter<>(output, subtask.subtaskIndex(), Long.parseLong((String) descriptor.parameters().get(FAIL_STAGE)));
        }
        return new Writer<>(output, subtask.subtaskIndex());
    }

    @Override
    public <T> SinkWriter<T> restoreWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask, List<byte[]> state) {
        TreeMap<String, List<String>> pending = new TreeMap<>();
        for (byte[] bytes : state) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                String id = in.readUTF();
                List<String> records = new ArrayList<>();
                for (int count = in.readInt(); count > 0; count--) {
                    records.add(in.readUTF());
                }
                pending.put(id, records);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Writer<T> writer = writer(descriptor, subtask);
        pending.forEach(writer::commit); // the checkpoint restored from completed: its transactions count
        return writer;
    }

    private static class Writer<T> implements SinkWriter<T> {
        final String output;
        private final int subtask;
        /** Pre-committed transactions by the checkpoint that pre-committed them. */
        private final TreeMap<Long, Map.Entry<String, List<String>>> precommitted = new TreeMap<>();
        private List<String> open = new ArrayList<>();

        Writer(String output, int subtask) {
            this.output = output;
            this.subtask = subtask;
        }

        @Override
        public void write(T record) {
            open.add(String.valueOf(record));
        }

        @Override
        public List<byte[]> snapshotState(long checkpointId) {
            precommitted.put(checkpointId, Map.entry(subtask + "-" + checkpointId + "-" + UUID.randomUUID(), open));
            open = new ArrayList<>();
            List<byte[]> state = new ArrayList<>();
            for (Map.Entry<String, List<String>> transaction : precommitted.values()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeUTF(transaction.getKey());
                    out.writeInt(transaction.getValue().size());
                    for (String record : transaction.getValue()) {
                        out.writeUTF(record);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                state.add(bytes.toByteArray());
            }
            return state;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            var done = precommitted.headMap(checkpointId, true);
            done.values().forEach(transaction -> commit(transaction.getKey(), transaction.getValue()));
            done.clear();
        }

        /** Commits nothing: the open transaction is pre-committed and committed by the checkpoint that follows. */
        @Override
        public void finish() {
            FINISHED.computeIfAbsent(output, o -> ConcurrentHashMap.newKeySet()).add(subtask);
        }

        void commit(String id, List<String> records) {
            COMMITTED.computeIfAbsent(output, o -> new ConcurrentHashMap<>()).putIfAbsent(id, List.copyOf(records));
        }
    }

    /** A {@link Writer} whose pre-commit becomes valid a little later, on another thread. */
    private static final class AsyncWriter<T> extends Writer<T> {
        private final long failStage;
        /** The stage of each checkpoint, by id. */
        private final TreeMap<Long, CompletableFuture<List<byte[]>>> stages = new TreeMap<>();

        AsyncWriter(String output, int subtask, long failStage) {
            super(output, subtask);
            this.failStage = failStage;
        }

        @Override
        public CompletionStage<List<byte[]>> snapshotStateAsync(long checkpointId) {
            List<byte[]> state = snapshotState(checkpointId);
            ASYNC_SNAPSHOTS.get(output).incrementAndGet();
            CompletableFuture<List<byte[]>> stage = new CompletableFuture<>();
            stages.put(checkpointId, stage);
            boolean fail = checkpointId == failStage && STAGE_FAILED.get(output).compareAndSet(false, true);
            LATER.schedule(() -> {
                if (fail) {
                    stage.completeExceptionally(new IllegalStateException("injected failure of the stage of checkpoint "
                            + checkpointId));
                } else {
                    stage.complete(state);
                }
            }, 5, TimeUnit.MILLISECONDS);
            return stage;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            var reported = stages.headMap(checkpointId, true);
            CompletableFuture<List<byte[]>> own = reported.get(checkpointId);
            if (own != null && (!own.isDone() || own.isCompletedExceptionally())) {
                VIOLATIONS.get(output).add("checkpoint " + checkpointId + " reported complete, its stage " + own);
            }
            reported.clear();
            super.notifyCheckpointComplete(checkpointId);
        }
    }
}
