package io.runnel.runtime.internal.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint a restore passed over, and why.
 *
 * @param checkpointId the id from the directory name
 * @param directory the checkpoint's directory
 * @param reason what is wrong with it, naming the file (the same text as the WARN log line)
 */
public record SkippedCheckpoint(long checkpointId, Path directory, String reason) {
}
