package io.runnel.runtime.internal.checkpoint;

import io.runnel.api.types.TypeSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A completed checkpoint or savepoint that a job starts from: for each operator subtask of the new
 * job, the state it gets, found by the operator's uid and spread over the new parallelism by
 * {@link SubtaskStateCodec}.
 */
public final class RestoredState {

    private final CompletedCheckpoint checkpoint;
    private final TypeSerializer<Object> elements;

    /** @param elements reads the elements of operator state (the job's dynamic serializer) */
    public RestoredState(CompletedCheckpoint checkpoint, TypeSerializer<Object> elements) {
        this.checkpoint = checkpoint;
        this.elements = elements;
    }

    public CompletedCheckpoint checkpoint() {
        return checkpoint;
    }

    public long checkpointId() {
        return checkpoint.checkpointId();
    }

    /** The uids of the operators that have state in the checkpoint. */
    public Set<String> operatorUids() {
        Set<String> uids = new TreeSet<>();
        for (OperatorState operator : checkpoint.metadata().operators()) {
            if (!operator.subtaskStates().isEmpty()) {
                uids.add(operator.operatorUid());
            }
        }
        return uids;
    }

    /** The operator's state as saved (its parallelism and max parallelism then), if it has any. */
    public Optional<OperatorState> operator(String operatorUid) {
        return checkpoint.metadata().operator(operatorUid).filter(operator -> !operator.subtaskStates().isEmpty());
    }

    /**
     * The state of subtask {@code subtask} of {@code parallelism} of the operator {@code operatorUid},
     * or null if the checkpoint has no state for that operator.
     *
     * @throws IOException if a state file cannot be read or fails its checksum; the message names the file
     */
    public SubtaskStateCodec.Restored subtask(String operatorUid, int subtask, int parallelism) throws IOException {
        Optional<OperatorState> found = operator(operatorUid);
        if (found.isEmpty()) {
            return null;
        }
        OperatorState operator = found.get();
        List<InputStream> files = new ArrayList<>();
        try {
            for (int old = 0; old < operator.parallelism(); old++) {
                StateHandle handle = operator.subtaskStates().get(old);
                files.add(handle == null ? null : new java.io.BufferedInputStream(checkpoint.openState(handle), 64 * 1024));
            }
            return SubtaskStateCodec.read(files, subtask, parallelism, elements, checkpoint.directory());
        } catch (IOException e) {
            throw new IOException("Cannot restore operator '" + operatorUid + "' from " + checkpoint.directory() + ": "
                    + e.getMessage(), e);
        } finally {
            for (InputStream file : files) {
                if (file != null) {
                    file.close();
                }
            }
        }
    }

    /** For messages: the checkpoint's directory and id. */
    @Override
    public String toString() {
        return (checkpoint.isSavepoint() ? "savepoint " : "checkpoint " + checkpoint.checkpointId() + " at ")
                + checkpoint.directory();
    }
}
