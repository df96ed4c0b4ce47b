package io.runnel.state.rocksdb;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An in-memory sink that commits like a transactional one: each checkpoint's records are staged under
 * a fresh id in the writer's state and committed when the checkpoint completes (or by a writer restored
 * from that checkpoint); committing an id twice keeps the first. What it holds is then every record
 * exactly once if the job recovers correctly, so tests compare it with an uninterrupted run.
 */
final class CommittingSink implements SinkProvider {

    static final String CONNECTOR = "committing";
    private static final String OUTPUT = "output";
    private static final ConcurrentMap<String, ConcurrentMap<String, List<String>>> COMMITTED = new ConcurrentHashMap<>();

    /** A descriptor writing into {@code output}, emptied first. */
    static <T> SinkDescriptor<T> into(String output) {
        return into(output, Map.of());
    }

    /** A descriptor writing into {@code output}, which starts with {@code transactions}. */
    static <T> SinkDescriptor<T> into(String output, Map<String, List<String>> transactions) {
        COMMITTED.put(output, new ConcurrentHashMap<>(transactions));
        return new SinkDescriptor<>(CONNECTOR, Map.of(OUTPUT, output));
    }

    static Map<String, List<String>> transactions(String output) {
        return Map.copyOf(COMMITTED.get(output));
    }

    /** Every committed record of {@code output}. */
    static List<String> committed(String output) {
        List<String> all = new ArrayList<>();
        COMMITTED.getOrDefault(output, new ConcurrentHashMap<>()).values().forEach(all::addAll);
        return all;
    }

    @Override
    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
        return new Writer<>((String) descriptor.parameters().get(OUTPUT), subtask.subtaskIndex());
    }

    @Override
    public <T> SinkWriter<T> restoreWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask, List<byte[]> state) {
        Writer<T> writer = new Writer<>((String) descriptor.parameters().get(OUTPUT), subtask.subtaskIndex());
        for (byte[] bytes : state) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                String id = in.readUTF();
                List<String> records = new ArrayList<>();
                for (int count = in.readInt(); count > 0; count--) {
                    records.add(in.readUTF());
                }
                writer.commit(id, records);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return writer;
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final String output;
        private final int subtask;
        private final TreeMap<Long, Map.Entry<String, List<String>>> staged = new TreeMap<>();
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
        public List<byte[]> snapshotState(long checkpointId) throws IOException {
            staged.put(checkpointId, Map.entry(subtask + "-" + checkpointId + "-" + UUID.randomUUID(), open));
            open = new ArrayList<>();
            List<byte[]> state = new ArrayList<>();
            for (Map.Entry<String, List<String>> transaction : staged.values()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeUTF(transaction.getKey());
                    out.writeInt(transaction.getValue().size());
                    for (String record : transaction.getValue()) {
                        out.writeUTF(record);
                    }
                }
                state.add(bytes.toByteArray());
            }
            return state;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            var done = staged.headMap(checkpointId, true);
            done.values().forEach(transaction -> commit(transaction.getKey(), transaction.getValue()));
            done.clear();
        }

        /** Commits nothing: the runtime's final checkpoint stages and commits the open transaction. */
        @Override
        public void finish() {
            // the records stay in the open transaction
        }

        void commit(String id, List<String> records) {
            COMMITTED.computeIfAbsent(output, o -> new ConcurrentHashMap<>()).putIfAbsent(id, List.copyOf(records));
        }
    }
}
