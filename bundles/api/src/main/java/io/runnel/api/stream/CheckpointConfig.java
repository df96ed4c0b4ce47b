package io.runnel.api.stream;

import static io.runnel.api.stream.ExecutionOptions.*;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a job takes checkpoints; obtained from {@link StreamEnvironment#getCheckpointConfig()}. Each
 * setting has a key in {@link ExecutionOptions}, so it can also be given when the job is started.
 *
 * <p>Checkpoints are off until an interval is set. With checkpoints on, the JobManager triggers one
 * every interval: barriers travel with the records, every operator saves its state when its inputs'
 * barriers have arrived, and the checkpoint completes when every task has acknowledged. A failed job
 * restarts from the latest completed checkpoint (see {@link RestartStrategy}).
 *
 * <p>Not thread-safe; the settings are read when the job is submitted.
 */
public final class CheckpointConfig {

    private Duration interval = Duration.ZERO;
    private CheckpointingMode mode = CheckpointingMode.EXACTLY_ONCE;
    private Duration timeout = Duration.ofMinutes(10);
    private Duration minPause = Duration.ZERO;
    private int maxConcurrent = 1;
    private int tolerableFailures;
    private boolean unaligned;
    private boolean retainOnCancel;
    private String directory;
    private int numRetained = 1;
    private String savepointDirectory;

    /** Whether periodic checkpoints are on. */
    public boolean isEnabled() {
        return !interval.isZero();
    }

    public Duration getInterval() {
        return interval;
    }

    /** Turns periodic checkpoints on with this interval (at least 10 ms), or off with zero. */
    public CheckpointConfig setInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 10)) {
            throw new IllegalArgumentException("The checkpoint interval must be at least 10 ms (or zero for off), but got "
                    + interval);
        }
        this.interval = interval;
        return this;
    }

    public CheckpointingMode getMode() {
        return mode;
    }

    public CheckpointConfig setMode(CheckpointingMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    public Duration getTimeout() {
        return timeout;
    }

    /** How long a checkpoint may take; one that takes longer is abandoned and counts as failed. */
    public CheckpointConfig setTimeout(Duration timeout) {
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("The checkpoint timeout must be at least 1 ms, but got " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    public Duration getMinPause() {
        return minPause;
    }

    /** Least time between the end of one checkpoint and the trigger of the next. */
    public CheckpointConfig setMinPause(Duration minPause) {
        if (minPause.isNegative()) {
            throw new IllegalArgumentException("The minimum pause between checkpoints must not be negative, but got "
                    + minPause);
        }
        this.minPause = minPause;
        return this;
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    /** How many checkpoints may be in progress at once (at least 1). */
    public CheckpointConfig setMaxConcurrent(int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("At least 1 concurrent checkpoint must be allowed, but got " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
        return this;
    }

    public int getTolerableFailures() {
        return tolerableFailures;
    }

    /**
     * How many checkpoints in a row may fail (time out, fail to write) before the job fails and its
     * restart strategy takes over; 0 fails the job on the first failed checkpoint.
     */
    public CheckpointConfig setTolerableFailures(int tolerableFailures) {
        if (tolerableFailures < 0) {
            throw new IllegalArgumentException("Tolerable checkpoint failures must not be negative, but got "
                    + tolerableFailures);
        }
        this.tolerableFailures = tolerableFailures;
        return this;
    }

    public boolean isUnaligned() {
        return unaligned;
    }

    /**
     * Unaligned checkpoints let barriers overtake the records queued in channels, and save those
     * records with the snapshot, so a checkpoint completes quickly even under heavy backpressure.
     * Only with {@link CheckpointingMode#EXACTLY_ONCE}.
     */
    public CheckpointConfig setUnaligned(boolean unaligned) {
        this.unaligned = unaligned;
        return this;
    }

    public boolean isRetainOnCancel() {
        return retainOnCancel;
    }

    /** Keep the retained checkpoints when the job is cancelled, so it can be started from one later. */
    public CheckpointConfig setRetainOnCancel(boolean retainOnCancel) {
        this.retainOnCancel = retainOnCancel;
        return this;
    }

    /** The checkpoint directory, or null for the node's default. */
    public String getDirectory() {
        return directory;
    }

    /** Where checkpoints are written: each job gets a directory of its own below this one. */
    public CheckpointConfig setDirectory(String directory) {
        this.directory = directory;
        return this;
    }

    public int getNumRetained() {
        return numRetained;
    }

    /** How many completed checkpoints to keep (at least 1); older ones are deleted. */
    public CheckpointConfig setNumRetained(int numRetained) {
        if (numRetained < 1) {
            throw new IllegalArgumentException("At least 1 checkpoint must be retained, but got " + numRetained);
        }
        this.numRetained = numRetained;
        return this;
    }

    /** The default savepoint directory, or null if savepoints must name theirs. */
    public String getSavepointDirectory() {
        return savepointDirectory;
    }

    public CheckpointConfig setSavepointDirectory(String savepointDirectory) {
        this.savepointDirectory = savepointDirectory;
        return this;
    }

    /**
     * Applies the checkpoint options among {@code settings}; other keys are left alone.
     *
     * @throws IllegalArgumentException naming the key and value that are wrong
     */
    public CheckpointConfig configure(Map<String, String> settings) {
        settings.forEach((key, value) -> {
            switch (key) {
                case CHECKPOINTING_INTERVAL -> setInterval("off".equalsIgnoreCase(value.trim()) ? Duration.ZERO
                        : parseDuration(key, value));
                case CHECKPOINTING_MODE -> {
                    try {
                        setMode(CheckpointingMode.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(key + ": '" + value + "' is neither EXACTLY_ONCE nor AT_LEAST_ONCE");
                    }
                }
                case CHECKPOINTING_TIMEOUT -> setTimeout(parseDuration(key, value));
                case CHECKPOINTING_MIN_PAUSE -> setMinPause(parseDuration(key, value));
                case CHECKPOINTING_MAX_CONCURRENT -> setMaxConcurrent(parseInt(key, value, 1));
                case CHECKPOINTING_TOLERABLE_FAILURES -> setTolerableFailures(parseInt(key, value, 0));
                case CHECKPOINTING_UNALIGNED -> setUnaligned(parseBoolean(key, value));
                case CHECKPOINTING_RETAIN_ON_CANCEL -> setRetainOnCancel(parseBoolean(key, value));
                case CHECKPOINTS_DIRECTORY -> setDirectory(nonBlank(key, value));
                case CHECKPOINTS_NUM_RETAINED -> setNumRetained(parseInt(key, value, 1));
                case SAVEPOINTS_DIRECTORY -> setSavepointDirectory(nonBlank(key, value));
                default -> { }
            }
        });
        return this;
    }

    private static String nonBlank(String key, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + ": a directory is needed, but the value is blank");
        }
        try {
            java.nio.file.Path.of(value.trim());
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a valid path (" + e.getReason() + ")", e);
        }
        return value.trim();
    }

    /** An independent copy, so a submitted job is not changed by later settings. */
    public CheckpointConfig copy() {
        CheckpointConfig copy = new CheckpointConfig();
        copy.interval = interval;
        copy.mode = mode;
        copy.timeout = timeout;
        copy.minPause = minPause;
        copy.maxConcurrent = maxConcurrent;
        copy.tolerableFailures = tolerableFailures;
        copy.unaligned = unaligned;
        copy.retainOnCancel = retainOnCancel;
        copy.directory = directory;
        copy.numRetained = numRetained;
        copy.savepointDirectory = savepointDirectory;
        return copy;
    }

    @Override
    public String toString() {
        return isEnabled() ? "checkpoints every " + interval.toMillis() + " ms (" + mode + (unaligned ? ", unaligned" : "")
                + ", timeout " + timeout.toMillis() + " ms, retain " + numRetained + ")" : "checkpoints off";
    }
}
