package io.runnel.runtime.internal.checkpoint;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where one operator subtask's state lives inside a checkpoint or savepoint directory, and what it
 * must look like when read back.
 *
 * @param fileName the file's name relative to the checkpoint directory (never a path, so a savepoint
 *     directory can be moved or copied as a whole)
 * @param size the file's length in bytes
 * @param crc32c the CRC32C of the file's whole content
 * @param sharedFiles the files of the job's shared-state directory this state also needs (an incremental
 *     checkpoint of a state backend), relative to that directory; empty for most state. Retention
 *     keeps a shared file while a retained checkpoint's handle names it.
 */
public record StateHandle(String fileName, long size, int crc32c, List<String> sharedFiles) {

    /** A state file needing no shared files. */
    public StateHandle(String fileName, long size, int crc32c) {
        this(fileName, size, crc32c, List.of());
    }

    public StateHandle {
        sharedFiles = List.copyOf(sharedFiles);
        for (String shared : sharedFiles) {
            if (shared.isEmpty() || shared.startsWith("/") || shared.indexOf('\\') >= 0
                    || List.of(shared.split("/")).contains("..") || List.of(shared.split("/")).contains(".")) {
                throw new IllegalArgumentException("A shared state file must be a relative path inside the shared"
                        + " directory, was '" + shared + "'");
            }
        }
        Objects.requireNonNull(fileName, "fileName");
        if (fileName.isEmpty() || fileName.equals(".") || fileName.equals("..") || fileName.indexOf('/') >= 0
                || fileName.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("A state file name must be a plain file name inside the checkpoint"
                    + " directory, was '" + fileName + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("State file " + fileName + " cannot have a negative size: " + size);
        }
    }

    /** This handle, also needing {@code shared} files of the shared-state directory. */
    public StateHandle withSharedFiles(List<String> shared) {
        return new StateHandle(fileName, size, crc32c, shared);
    }

    /** The checksum as eight hex digits, the way error messages and the README show it. */
    public String crc32cHex() {
        return hex(crc32c);
    }

    static String hex(int crc32c) {
        return String.format(Locale.ROOT, "%08x", crc32c);
    }
}
