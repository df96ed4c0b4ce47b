package io.runnel.runtime.internal.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint or savepoint that cannot be used: it never completed, or a file of it is missing,
 * has the wrong size or the wrong checksum. The message names the file and what is wrong with it.
 */
public class InvalidCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public InvalidCheckpointException(Path path, String message) {
        super(message);
        this.path = path;
    }

    /** The file or directory found to be invalid. */
    public Path path() {
        return path;
    }
}
