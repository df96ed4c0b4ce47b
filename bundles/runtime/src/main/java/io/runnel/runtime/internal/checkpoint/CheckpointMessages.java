package io.runnel.runtime.internal.checkpoint;

import io.runnel.runtime.internal.task.CheckpointType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The payloads of the checkpoint topics of {@code io.runnel.spi.control.ControlTopics}, between the
 * JobManager's {@link ClusterParticipants} and the {@link TaskSnapshots} of each
 * node's share of a placed job. Every message names the job and the attempt, so one of an earlier
 * attempt is recognised and dropped. Each starts with a format byte; a node of another Runnel
 * version gets a clear error instead of a misread.
 */
public final class CheckpointMessages {

    /** 2: acknowledgements name the shared state files of each state file. */
    private static final int FORMAT = 2;

    private CheckpointMessages() {}

    /**
     * JobManager to node: take checkpoint {@code checkpointId} of {@code type}, writing state files
     * into {@code directory}.
     */
    public record Trigger(String jobId, int attempt, long checkpointId, CheckpointType type, String directory) {
        public Trigger {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(directory, "directory");
        }

        public byte[] encode() {
            return CheckpointMessages.encode(out -> {
                header(out, jobId, attempt, checkpointId);
                out.writeByte(type.ordinal());
                out.writeUTF(directory);
            });
        }

        public static Trigger decode(byte[] message) {
            return CheckpointMessages.decode(message, "checkpoint trigger", in -> {
                String jobId = in.readUTF();
                int attempt = in.readInt();
                long id = in.readLong();
                int type = in.readUnsignedByte();
                if (type >= CheckpointType.values().length) {
                    throw new IOException("unknown checkpoint type " + type);
                }
                return new Trigger(jobId, attempt, id, CheckpointType.values()[type], in.readUTF());
            });
        }
    }

    /** Node to JobManager: this node's subtasks took checkpoint {@code checkpointId}; their state files. */
    public record Ack(String jobId, int attempt, long checkpointId, List<OperatorState> operators) {
        public Ack {
            Objects.requireNonNull(jobId, "jobId");
            operators = List.copyOf(operators);
        }

        public byte[] encode() {
            return CheckpointMessages.encode(out -> {
                header(out, jobId, attempt, checkpointId);
                out.writeInt(operators.size());
                for (OperatorState operator : operators) {
                    out.writeUTF(operator.operatorUid());
                    out.writeInt(operator.parallelism());
                    out.writeInt(operator.maxParallelism());
                    out.writeInt(operator.subtaskStates().size());
                    for (Map.Entry<Integer, StateHandle> state : operator.subtaskStates().entrySet()) {
                        out.writeInt(state.getKey());
                        out.writeUTF(state.getValue().fileName());
                        out.writeLong(state.getValue().size());
                        out.writeInt(state.getValue().crc32c());
                        out.writeInt(state.getValue().sharedFiles().size());
                        for (String shared : state.getValue().sharedFiles()) {
                            out.writeUTF(shared);
                        }
                    }
                }
            });
        }

        public static Ack decode(byte[] message) {
            return CheckpointMessages.decode(message, "checkpoint acknowledgement", in -> {
                String jobId = in.readUTF();
                int attempt = in.readInt();
                long id = in.readLong();
                List<OperatorState> operators = new ArrayList<>();
                for (int i = in.readInt(); i > 0; i--) {
                    String uid = in.readUTF();
                    int parallelism = in.readInt();
                    int maxParallelism = in.readInt();
                    Map<Integer, StateHandle> states = new TreeMap<>();
                    for (int s = in.readInt(); s > 0; s--) {
                        int subtask = in.readInt();
                        String fileName = in.readUTF();
                        long size = in.readLong();
                        int crc32c = in.readInt();
                        List<String> shared = new ArrayList<>();
                        for (int f = in.readInt(); f > 0; f--) {
                            shared.add(in.readUTF());
                        }
                        states.put(subtask, new StateHandle(fileName, size, crc32c, shared));
                    }
                    operators.add(new OperatorState(uid, parallelism, maxParallelism, states));
                }
                return new Ack(jobId, attempt, id, operators);
            });
        }
    }

    /**
     * A checkpoint's fate: node to JobManager, a decline; JobManager to node, completion (no reason)
     * or abandonment.
     *
     * @param reason why it was declined or abandoned; null for a completion
     */
    public record Notice(String jobId, int attempt, long checkpointId, String reason) {
        public Notice {
            Objects.requireNonNull(jobId, "jobId");
        }

        public byte[] encode() {
            return CheckpointMessages.encode(out -> {
                header(out, jobId, attempt, checkpointId);
                out.writeBoolean(reason != null);
                if (reason != null) {
                    out.writeUTF(reason.length() > 8_000 ? reason.substring(0, 8_000) + "..." : reason);
                }
            });
        }

        public static Notice decode(byte[] message) {
            return CheckpointMessages.decode(message, "checkpoint notice", in -> new Notice(in.readUTF(), in.readInt(),
                    in.readLong(), in.readBoolean() ? in.readUTF() : null));
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static void header(DataOutputStream out, String jobId, int attempt, long checkpointId) throws IOException {
        out.writeUTF(jobId);
        out.writeInt(attempt);
        out.writeLong(checkpointId);
    }

    private static byte[] encode(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException naming what the message should have been and what is wrong */
    private static <T> T decode(byte[] message, String what, Reader<T> reader) {
        int format = message.length == 0 ? -1 : message[0] & 0xff;
        if (format != FORMAT) {
            throw new IllegalArgumentException("A " + what + " of format " + format + ", but this node reads format "
                    + FORMAT + ": run the same Runnel version on every node");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message, 1, message.length - 1))) {
            return reader.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("A " + what + " message of " + message.length + " bytes cannot be read: "
                    + e.getMessage(), e);
        }
    }
}
