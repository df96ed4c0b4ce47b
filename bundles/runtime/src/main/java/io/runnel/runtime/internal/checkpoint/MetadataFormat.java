package io.runnel.runtime.internal.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes {@code _metadata}. Every number is big-endian (as {@link java.io.DataOutput}
 * writes it); a string is an int byte count followed by that many bytes of UTF-8.
 *
 * <pre>
 * int     magic 0x524E434B ("RNCK")
 * int     format version (2; version 1 is still read)
 * string  job id
 * long    checkpoint id
 * long    trigger timestamp (ms since the epoch)
 * long    leader epoch
 * byte    kind: 0 checkpoint, 1 savepoint
 * int     number of operators, then per operator:
 *   string  operator uid
 *   int     parallelism
 *   int     max parallelism
 *   int     number of subtasks with state, then per such subtask (ascending index):
 *     int     subtask index
 *     string  state file name (relative to the directory holding _metadata)
 *     long    state file size in bytes
 *     int     state file CRC32C
 *     int     number of shared files it needs (version 2 on), then per file:
 *       string  path relative to the job's shared-state directory ({@code <job>/shared/})
 * int     CRC32C of every byte before it
 * </pre>
 *
 * Magic and version come first and stay where they are in every future version, so a reader can
 * always tell "not a Runnel checkpoint" and "written by a newer Runnel" from "corrupt".
 */
final class MetadataFormat {

    static final String FILE_NAME = "_metadata";
    static final int MAGIC = 0x524E434B;
    private static final byte KIND_CHECKPOINT = 0;
    private static final byte KIND_SAVEPOINT = 1;
    /** Magic, version and checksum: anything shorter cannot be metadata at all. */
    private static final int MINIMUM_LENGTH = 12;

    private MetadataFormat() {
    }

    /** The bytes of {@code _metadata} for this metadata, checksum included. */
    static byte[] encode(CheckpointMetadata metadata) {
        if (metadata.formatVersion() != CheckpointMetadata.CURRENT_FORMAT_VERSION) {
            // Writing always uses the current layout; labelling it with another version would lie.
            throw new IllegalArgumentException("Can only write format version " + CheckpointMetadata.CURRENT_FORMAT_VERSION
                    + ", metadata says " + metadata.formatVersion());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(metadata.formatVersion());
            writeString(out, metadata.jobId());
            out.writeLong(metadata.checkpointId());
            out.writeLong(metadata.triggerTimestamp());
            out.writeLong(metadata.leaderEpoch());
            out.writeByte(metadata.savepoint() ? KIND_SAVEPOINT : KIND_CHECKPOINT);
            out.writeInt(metadata.operators().size());
            for (OperatorState operator : metadata.operators()) {
                writeString(out, operator.operatorUid());
                out.writeInt(operator.parallelism());
                out.writeInt(operator.maxParallelism());
                out.writeInt(operator.subtaskStates().size());
                for (Map.Entry<Integer, StateHandle> entry : operator.subtaskStates().entrySet()) {
                    StateHandle handle = entry.getValue();
                    out.writeInt(entry.getKey());
                    writeString(out, handle.fileName());
                    out.writeLong(handle.size());
                    out.writeInt(handle.crc32c());
                    out.writeInt(handle.sharedFiles().size());
                    for (String shared : handle.sharedFiles()) {
                        writeString(out, shared);
                    }
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@code _metadata}, checking magic, version and checksum before it trusts any field.
     *
     * @param source the file the bytes came from, named in error messages
     * @throws InvalidCheckpointException saying what is wrong with the file
     */
    static CheckpointMetadata decode(byte[] bytes, Path source) throws InvalidCheckpointException {
        if (bytes.length < MINIMUM_LENGTH) {
            throw invalid(source, "is truncated: " + bytes.length + " bytes, a valid one has at least " + MINIMUM_LENGTH);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4));
        try {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw invalid(source, String.format(Locale.ROOT,
                        "is not Runnel checkpoint metadata: starts with 0x%08x, expected magic 0x%08x", magic, MAGIC));
            }
            int version = in.readInt();
            if (version < 1 || version > CheckpointMetadata.CURRENT_FORMAT_VERSION) {
                throw invalid(source, "has format version " + version + ", this Runnel reads versions 1 to "
                        + CheckpointMetadata.CURRENT_FORMAT_VERSION + " (was it written by a newer Runnel?)");
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            int computed = (int) crc.getValue();
            int stored = readTrailer(bytes);
            if (computed != stored) {
                throw invalid(source, "is corrupt or truncated: stored CRC32C " + StateHandle.hex(stored)
                        + ", computed " + StateHandle.hex(computed) + " over " + (bytes.length - 4) + " bytes");
            }
            return readBody(in, version, source);
        } catch (InvalidCheckpointException e) {
            throw e;
        } catch (EOFException e) {
            throw invalid(source, "is truncated: it ends in the middle of a field although its checksum matches"
                    + " (written by a faulty writer?)");
        } catch (IOException e) {
            throw new UncheckedIOException("Reading from memory cannot fail", e);
        }
    }

    private static CheckpointMetadata readBody(DataInputStream in, int version, Path source) throws IOException {
        String jobId = readString(in, source, "job id");
        long checkpointId = in.readLong();
        long triggerTimestamp = in.readLong();
        long leaderEpoch = in.readLong();
        byte kind = in.readByte();
        if (kind != KIND_CHECKPOINT && kind != KIND_SAVEPOINT) {
            throw invalid(source, "has unknown kind " + kind + " (0 is a checkpoint, 1 a savepoint)");
        }
        int operatorCount = readCount(in, source, "operators");
        List<OperatorState> operators = new ArrayList<>(operatorCount);
        for (int i = 0; i < operatorCount; i++) {
            String uid = readString(in, source, "operator uid");
            int parallelism = in.readInt();
            int maxParallelism = in.readInt();
            int stateCount = readCount(in, source, "state files of operator " + uid);
            Map<Integer, StateHandle> states = new HashMap<>();
            for (int j = 0; j < stateCount; j++) {
                int subtask = in.readInt();
                String fileName = readString(in, source, "state file name");
                long size = in.readLong();
                int crc32c = in.readInt();
                List<String> shared = new ArrayList<>();
                if (version >= 2) {
                    int sharedCount = readCount(in, source, "shared files of " + fileName);
                    for (int k = 0; k < sharedCount; k++) {
                        shared.add(readString(in, source, "shared file name"));
                    }
                }
                states.put(subtask, construct(source, () -> new StateHandle(fileName, size, crc32c, shared)));
            }
            operators.add(construct(source, () -> new OperatorState(uid, parallelism, maxParallelism, states)));
        }
        if (in.available() > 0) {
            throw invalid(source, "has " + in.available() + " unexpected bytes after its last operator");
        }
        return construct(source, () -> new CheckpointMetadata(version, jobId, checkpointId, triggerTimestamp,
                leaderEpoch, kind == KIND_SAVEPOINT, operators));
    }

    private interface Construction<T> {
        T run();
    }

    /** Turns a value the records refuse (a checksum-valid file with impossible content) into a clear error. */
    private static <T> T construct(Path source, Construction<T> construction) throws InvalidCheckpointException {
        try {
            return construction.run();
        } catch (IllegalArgumentException e) {
            throw invalid(source, "has an impossible value: " + e.getMessage());
        }
    }

    private static int readTrailer(byte[] bytes) {
        int end = bytes.length;
        return (bytes[end - 4] & 0xff) << 24 | (bytes[end - 3] & 0xff) << 16 | (bytes[end - 2] & 0xff) << 8
                | (bytes[end - 1] & 0xff);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in, Path source, String field) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw invalid(source, "is truncated or corrupt: " + field + " claims " + length + " bytes, "
                    + in.available() + " are left");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static int readCount(DataInputStream in, Path source, String what) throws IOException {
        int count = in.readInt();
        // Every entry takes at least four bytes, so a larger count cannot be right.
        if (count < 0 || count > in.available() / 4) {
            throw invalid(source, "is truncated or corrupt: claims " + count + " " + what + " in "
                    + in.available() + " remaining bytes");
        }
        return count;
    }

    private static InvalidCheckpointException invalid(Path source, String problem) {
        return new InvalidCheckpointException(source, "Checkpoint metadata " + source + " " + problem);
    }
}
