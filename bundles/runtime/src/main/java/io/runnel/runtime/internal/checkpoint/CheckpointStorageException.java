package io.runnel.runtime.internal.checkpoint;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checkpoint storage could not write (or delete) a file or directory. The message names the path,
 * the cause in plain words and what to do; checkpoints that completed before are never touched by
 * the failed operation.
 */
public class CheckpointStorageException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public CheckpointStorageException(Path path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The file or directory that could not be written. */
    public Path path() {
        return path;
    }

    /**
     * An error for a failed write of {@code path}.
     *
     * @param action what was attempted, as a verb phrase ("create checkpoint directory")
     */
    static CheckpointStorageException cannotWrite(Path path, String action, IOException cause) {
        return new CheckpointStorageException(path, "Cannot " + action + " " + path + ": " + describe(cause)
                + ". Make sure the directory exists, is writable by the Runnel process and its file system has"
                + " free space (checkpoints go to " + io.runnel.api.stream.ExecutionOptions.CHECKPOINTS_DIRECTORY + "); checkpoints that"
                + " completed earlier are untouched.", cause);
    }

    /** The usual causes in plain words, the exception's own text for anything else. */
    private static String describe(IOException cause) {
        String text = cause.getMessage() == null ? "" : cause.getMessage();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk quota")) {
            return "the file system is full (" + text + ")";
        }
        if (cause instanceof AccessDeniedException || lower.contains("permission denied")
                || lower.contains("read-only file system")) {
            return "permission denied (" + cause.getClass().getSimpleName() + ": " + text + ")";
        }
        if (cause instanceof NoSuchFileException) {
            return "a directory on the way does not exist (" + text + ")";
        }
        if (cause instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason() + " (" + cause.getClass().getSimpleName() + ": " + text + ")";
        }
        return cause.toString();
    }
}
