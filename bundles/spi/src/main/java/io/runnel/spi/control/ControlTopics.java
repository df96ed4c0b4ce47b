package io.runnel.spi.control;

/**
 * The {@link io.runnel.spi.cluster.ClusterMessaging} topics of job deployment between the leading
 * JobManager and the TaskManagers, and what their payloads are.
 */
public final class ControlTopics {

    /** JobManager to TaskManager: "tell me your data address"; empty payload. */
    public static final String ADDRESS_REQUEST = "runnel.address-request";

    /** TaskManager to JobManager: its data address, {@code host:port} in UTF-8. */
    public static final String ADDRESS = "runnel.address";

    /** JobManager to TaskManager: start your share of a job; a {@link TaskDeployment#encode()}. */
    public static final String DEPLOY = "runnel.deploy";

    /** JobManager to TaskManager: stop your share of a job attempt; a {@link TaskReport#encode()} (outcome CANCELED). */
    public static final String CANCEL = "runnel.cancel";

    /**
     * JobManager to TaskManager: a leader of this epoch has taken over; cancel every share of a job
     * deployed under a lower epoch (its coordinator is gone, so it could never complete a checkpoint
     * again; the new leader deploys the job anew). Payload: the epoch, 8 bytes big-endian.
     */
    public static final String FENCE = "runnel.fence";

    /** TaskManager to JobManager: how its share of a job attempt ended; a {@link TaskReport#encode()}. */
    public static final String REPORT = "runnel.task-report";

    /**
     * TaskManager to JobManager: its share of a job attempt is running (every subtask was created and
     * started); a {@link TaskReport#encode()} whose outcome is ignored. The JobManager triggers no
     * checkpoint of an attempt before every node said so.
     */
    public static final String STARTED = "runnel.task-started";

    /*
     * Checkpoints of jobs placed over several nodes. Both ends are the runtime's, which also defines
     * the payloads; they are listed here so every topic of the control plane is in one place.
     */

    /** JobManager to TaskManager: take checkpoint or savepoint N, writing state files into a directory. */
    public static final String CHECKPOINT_TRIGGER = "runnel.checkpoint-trigger";

    /** TaskManager to JobManager: this node's subtasks took checkpoint N; here are their state files. */
    public static final String CHECKPOINT_ACK = "runnel.checkpoint-ack";

    /** TaskManager to JobManager: this node cannot take checkpoint N, and why. */
    public static final String CHECKPOINT_DECLINE = "runnel.checkpoint-decline";

    /** JobManager to TaskManager: checkpoint N completed (its metadata is written); commit what it covers. */
    public static final String CHECKPOINT_COMPLETE = "runnel.checkpoint-complete";

    /** JobManager to TaskManager: checkpoint N was abandoned, and why. */
    public static final String CHECKPOINT_ABORT = "runnel.checkpoint-abort";

    /**
     * JobManager to TaskManager: the job (or its attempt) ended, so a share whose tasks finished may
     * stop answering checkpoints with their final state and release it. Payload: a checkpoint
     * notice (job, attempt; the checkpoint id is unused).
     *
     * @since 1.2
     */
    public static final String SHARE_RELEASE = "runnel.share-release";

    private ControlTopics() {}
}
