package io.runnel.runtime.internal.checkpoint;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code _metadata} records about one checkpoint or savepoint. Its presence (valid, with a
 * matching checksum) is what makes a checkpoint complete; the byte layout is in
 * {@link MetadataFormat}.
 *
 * @param formatVersion the version of the on-disk format this was read from or will be written in
 * @param jobId the job that took the checkpoint
 * @param checkpointId the checkpoint's id, increasing within a job
 * @param triggerTimestamp when the checkpoint was triggered, in milliseconds since the epoch
 * @param leaderEpoch the fencing number of the JobManager leader that completed it, so a restore can
 *     tell a checkpoint of a deposed leader from the current one's
 * @param savepoint true for a savepoint (triggered by hand, never deleted by retention)
 * @param operators the state of each operator, at most one entry per operator uid
 */
public record CheckpointMetadata(int formatVersion, String jobId, long checkpointId, long triggerTimestamp,
        long leaderEpoch, boolean savepoint, List<OperatorState> operators) {

    /** The format version this code writes. Readers accept this version and every older one. */
    public static final int CURRENT_FORMAT_VERSION = 2;

    public CheckpointMetadata {
        if (formatVersion < 1) {
            throw new IllegalArgumentException("Format version must be at least 1, was " + formatVersion);
        }
        Objects.requireNonNull(jobId, "jobId");
        if (jobId.isBlank()) {
            throw new IllegalArgumentException("A job id must not be blank");
        }
        if (checkpointId < 0) {
            throw new IllegalArgumentException("A checkpoint id must not be negative, was " + checkpointId);
        }
        operators = List.copyOf(operators);
        Set<String> uids = new HashSet<>();
        for (OperatorState operator : operators) {
            if (!uids.add(operator.operatorUid())) {
                throw new IllegalArgumentException("Operator uid " + operator.operatorUid()
                        + " appears twice in checkpoint " + checkpointId);
            }
        }
        if (savepoint) {
            for (OperatorState operator : operators) {
                for (StateHandle handle : operator.subtaskStates().values()) {
                    if (!handle.sharedFiles().isEmpty()) {
                        throw new IllegalArgumentException("A savepoint must hold all its state itself, but state file "
                                + handle.fileName() + " of operator " + operator.operatorUid() + " names shared files "
                                + handle.sharedFiles());
                    }
                }
            }
        }
    }

    /** Metadata of a checkpoint in the current format. */
    public static CheckpointMetadata checkpoint(String jobId, long checkpointId, long triggerTimestamp,
            long leaderEpoch, List<OperatorState> operators) {
        return new CheckpointMetadata(CURRENT_FORMAT_VERSION, jobId, checkpointId, triggerTimestamp, leaderEpoch,
                false, operators);
    }

    /** Metadata of a savepoint in the current format. */
    public static CheckpointMetadata savepoint(String jobId, long checkpointId, long triggerTimestamp,
            long leaderEpoch, List<OperatorState> operators) {
        return new CheckpointMetadata(CURRENT_FORMAT_VERSION, jobId, checkpointId, triggerTimestamp, leaderEpoch,
                true, operators);
    }

    /** The state of the operator with this uid, or empty if the checkpoint has none for it. */
    public Optional<OperatorState> operator(String operatorUid) {
        return operators.stream().filter(operator -> operator.operatorUid().equals(operatorUid)).findFirst();
    }

    /** Every state file the checkpoint refers to, operator by operator, subtask by subtask. */
    public List<StateHandle> stateHandles() {
        return operators.stream().flatMap(operator -> operator.subtaskStates().values().stream()).toList();
    }
}
