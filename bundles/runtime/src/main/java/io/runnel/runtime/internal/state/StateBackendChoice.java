package io.runnel.runtime.internal.state;

import io.runnel.spi.state.StateBackendFactory;
import java.util.Map;
import java.util.Objects;

/**
 * The state backend a job's keyed operators use, looked up by name and with its options checked when
 * the job was submitted.
 *
 * @param name the name the backend service is registered under
 * @param factory the backend service
 * @param options its options, without the {@code state.backend.<name>.} prefix
 * @param localBase where the subtasks' local working directories are made (a node's
 *     {@code <data-dir>/state-local}, else under the temporary directory)
 * @param deployment names the job deployment the choice was made for, unique in this JVM: subtask
 *     {@code i} of every operator of a deployment runs in its slot {@code i}, so this and the subtask
 *     index name the task slot ({@link #slotId})
 */
public record StateBackendChoice(String name, StateBackendFactory factory, Map<String, String> options,
        java.nio.file.Path localBase, String deployment) {

    /** The default place of local working directories: {@code <java.io.tmpdir>/runnel-state-local}. */
    public static final java.nio.file.Path DEFAULT_LOCAL_BASE =
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "runnel-state-local");

    public StateBackendChoice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        options = Map.copyOf(options);
        Objects.requireNonNull(localBase, "localBase");
        Objects.requireNonNull(deployment, "deployment");
    }

    /** A choice for a new deployment, with an id of its own. */
    public StateBackendChoice(String name, StateBackendFactory factory, Map<String, String> options,
            java.nio.file.Path localBase) {
        this(name, factory, options, localBase, java.util.UUID.randomUUID().toString());
    }

    /** The id of the task slot that runs subtask {@code subtaskIndex} of the deployment's operators. */
    public String slotId(int subtaskIndex) {
        return deployment + "/slot-" + subtaskIndex;
    }

    /** A choice with local working directories under {@link #DEFAULT_LOCAL_BASE}. */
    public StateBackendChoice(String name, StateBackendFactory factory, Map<String, String> options) {
        this(name, factory, options, DEFAULT_LOCAL_BASE);
    }
}
