package io.runnel.runtime.internal.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Writes small checkpoints and damages files, for the checkpoint storage tests. */
final class TestCheckpoints {

    static final String JOB = "job-7f3a";

    private TestCheckpoints() {
    }

    /** Deterministic bytes that differ by seed. */
    static byte[] bytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * Writes and completes a checkpoint on this thread: per operator uid, the state of each subtask
     * (null = the subtask has no state).
     */
    static CompletedCheckpoint write(CheckpointStorage storage, long id, Map<String, byte[][]> states)
            throws IOException {
        CheckpointWriter writer = storage.begin(id);
        return writer.complete(CheckpointMetadata.checkpoint(JOB, id, 1_000 + id, 3, writeStates(writer, states)));
    }

    /** A checkpoint of one operator with two subtasks whose bytes depend on {@code id}. */
    static CompletedCheckpoint write(CheckpointStorage storage, long id) throws IOException {
        Map<String, byte[][]> states = new LinkedHashMap<>();
        states.put("counter", new byte[][] {bytes(id, 100), bytes(id + 1000, 3000)});
        return write(storage, id, states);
    }

    static List<OperatorState> writeStates(CheckpointWriter writer, Map<String, byte[][]> states) throws IOException {
        List<OperatorState> operators = new ArrayList<>();
        for (Map.Entry<String, byte[][]> operator : states.entrySet()) {
            Map<Integer, StateHandle> handles = new HashMap<>();
            byte[][] subtasks = operator.getValue();
            for (int subtask = 0; subtask < subtasks.length; subtask++) {
                if (subtasks[subtask] != null) {
                    StateFile file = writer.newStateFile(operator.getKey(), subtask);
                    try (file) {
                        file.write(subtasks[subtask]);
                    }
                    handles.put(subtask, file.handle());
                }
            }
            operators.add(new OperatorState(operator.getKey(), subtasks.length, 128, handles));
        }
        return operators;
    }

    static byte[] read(CompletedCheckpoint checkpoint, StateHandle handle) throws IOException {
        try (InputStream in = checkpoint.openState(handle)) {
            return in.readAllBytes();
        }
    }

    /** Inverts every bit of the byte at {@code position}, as bit rot or a bad disk would. */
    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            one.put(0, (byte) ~one.get(0));
            channel.write(one, position);
        }
    }

    static void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }
}
