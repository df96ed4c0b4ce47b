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

    /** TaskManager to JobManager: how its share of a job attempt ended; a {@link TaskReport#encode()}. */
    public static final String REPORT = "runnel.task-report";

    private ControlTopics() {}
}
