package io.runnel.runtime.internal.checkpoint;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where checkpoints go and how many are kept. The keys are Flink's and are documented in the
 * runtime's README.
 *
 * @param directory the base directory; each job's checkpoints go to {@code <directory>/<jobId>/}
 * @param numRetained how many completed checkpoints to keep per job (at least 1)
 */
public record CheckpointStorageConfig(Path directory, int numRetained) {

    public static final String DIRECTORY = "state.checkpoints.dir";
    public static final String NUM_RETAINED = "state.checkpoints.num-retained";

    public CheckpointStorageConfig {
        if (directory == null) {
            throw new IllegalArgumentException(DIRECTORY + " is not set: set it to a directory every JobManager and"
                    + " TaskManager can write (a shared file system when they run on several machines)");
        }
        if (numRetained < 1) {
            throw new IllegalArgumentException(NUM_RETAINED + " must be at least 1, was " + numRetained);
        }
    }

    /**
     * Reads the keys; {@value #NUM_RETAINED} defaults to 1, {@value #DIRECTORY} has no default.
     *
     * @throws IllegalArgumentException naming the key and the value that is wrong
     */
    public static CheckpointStorageConfig fromMap(Map<String, String> settings) {
        String directory = settings.get(DIRECTORY);
        Path path = null;
        if (directory != null && !directory.isBlank()) {
            try {
                path = Path.of(directory.strip());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(DIRECTORY + " is not a valid path: '" + directory + "' ("
                        + e.getReason() + ")", e);
            }
        }
        String retained = settings.getOrDefault(NUM_RETAINED, "1").strip();
        int numRetained;
        try {
            numRetained = Integer.parseInt(retained);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(NUM_RETAINED + " must be a whole number, was '" + retained + "'", e);
        }
        return new CheckpointStorageConfig(path, numRetained);
    }
}
