package io.runnel.runtime.internal.checkpoint;

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
 */
public record StateHandle(String fileName, long size, int crc32c) {

    public StateHandle {
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

    /** The checksum as eight hex digits, the way error messages and the README show it. */
    public String crc32cHex() {
        return hex(crc32c);
    }

    static String hex(int crc32c) {
        return String.format(Locale.ROOT, "%08x", crc32c);
    }
}
