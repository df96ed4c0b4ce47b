package io.runnel.runtime.internal.checkpoint;

import io.runnel.runtime.internal.task.CheckpointType;
import java.util.List;
import java.util.Set;

/** The participants of a job whose tasks all run in this JVM: its {@link TaskSnapshots}, answering as one. */
public final class LocalParticipants implements CheckpointCoordinator.Participants {

    private static final String TASKS = "the job's tasks";

    private final TaskSnapshots snapshots;

    public LocalParticipants(TaskSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public Set<String> trigger(long id, CheckpointType type, CheckpointWriter writer, CheckpointCoordinator.Answers answers) {
        boolean running = snapshots.trigger(id, type, writer, new TaskSnapshots.Receiver() {
            @Override
            public void taken(long checkpointId, List<OperatorState> operators) {
                answers.taken(TASKS, operators);
            }

            @Override
            public void failed(long checkpointId, String reason, boolean counts) {
                answers.failed(TASKS, reason, counts);
            }
        });
        return running ? Set.of(TASKS) : Set.of();
    }

    @Override
    public String cannotTrigger() {
        return snapshots.anyTaskRunning() ? null : "all its tasks have ended";
    }

    @Override
    public String waitingFor(long id, Set<String> participants) {
        return snapshots.waitingFor(id).toString();
    }

    @Override
    public void completed(long id) {
        snapshots.completed(id);
    }

    @Override
    public void aborted(long id, String reason) {
        snapshots.aborted(id, reason);
    }
}
