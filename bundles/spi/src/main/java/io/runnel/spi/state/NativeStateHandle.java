package io.runnel.spi.state;

import java.util.List;
import java.util.Objects;

/**
 * Keyed state of a checkpoint in a backend's own format (an incremental checkpoint): files in the
 * job's shared-state directory, which later checkpoints may use again, plus files and bytes of this
 * checkpoint alone. The runtime records the shared files in the checkpoint's metadata and deletes one
 * only when no retained checkpoint refers to it any more; it never reads the files.
 *
 * @param backend the name of the backend that wrote it; only that backend restores it
 * @param maxParallelism the number of key groups of the job
 * @param firstKeyGroup the first key group the state covers (inclusive)
 * @param lastKeyGroup the last key group the state covers (inclusive)
 * @param sharedFiles paths relative to {@link KeyedStateBackendContext#sharedStateDirectory()},
 *     with {@code /} as separator and without {@code ..}
 * @param privateFiles paths relative to the snapshot's private directory ({@link
 *     SnapshotRequest#privateDirectory()}), same rules
 * @param metadata whatever else the backend needs to restore (a manifest, a sequence number), small
 */
public record NativeStateHandle(String backend, int maxParallelism, int firstKeyGroup, int lastKeyGroup,
        List<String> sharedFiles, List<String> privateFiles, byte[] metadata) implements KeyedStateHandle {

    public NativeStateHandle {
        Objects.requireNonNull(backend, "backend");
        sharedFiles = List.copyOf(sharedFiles);
        privateFiles = List.copyOf(privateFiles);
        metadata = metadata.clone();
        if (firstKeyGroup < 0 || lastKeyGroup < firstKeyGroup || lastKeyGroup >= maxParallelism) {
            throw new IllegalArgumentException("Key groups " + firstKeyGroup + " to " + lastKeyGroup
                    + " do not lie within 0 to " + (maxParallelism - 1));
        }
        for (String file : sharedFiles) {
            checkRelative(file);
        }
        for (String file : privateFiles) {
            checkRelative(file);
        }
    }

    @Override
    public byte[] metadata() {
        return metadata.clone();
    }

    private static void checkRelative(String file) {
        if (file.isEmpty() || file.startsWith("/") || file.contains("\\") || List.of(file.split("/")).contains("..")) {
            throw new IllegalArgumentException("A state file path must be relative, with / as separator and without"
                    + " '..': '" + file + "'");
        }
    }
}
