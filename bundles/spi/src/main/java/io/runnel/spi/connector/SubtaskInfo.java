package io.runnel.spi.connector;

/**
 * Which parallel instance of an operator a reader or writer serves.
 *
 * @param operatorName the operator's display name
 * @param subtaskIndex from 0 to {@code parallelism - 1}
 * @param parallelism the operator's parallelism
 */
public record SubtaskInfo(String operatorName, int subtaskIndex, int parallelism) {

    public SubtaskInfo {
        if (parallelism < 1 || subtaskIndex < 0 || subtaskIndex >= parallelism) {
            throw new IllegalArgumentException("Subtask " + subtaskIndex + " of parallelism " + parallelism
                    + " does not exist (operator '" + operatorName + "')");
        }
    }

    /** {@code "name (i/p)"} with a 1-based index, as in logs and errors. */
    @Override
    public String toString() {
        return operatorName + " (" + (subtaskIndex + 1) + "/" + parallelism + ")";
    }
}
