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
 */
public record StateBackendChoice(String name, StateBackendFactory factory, Map<String, String> options,
        java.nio.file.Path localBase) {

    /** The default place of local working directories: {@code <java.io.tmpdir>/runnel-state-local}. */
    public static final java.nio.file.Path DEFAULT_LOCAL_BASE =
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "runnel-state-local");

    public StateBackendChoice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        options = Map.copyOf(options);
        Objects.requireNonNull(localBase, "localBase");
    }

    /** A choice with local working directories under {@link #DEFAULT_LOCAL_BASE}. */
    public StateBackendChoice(String name, StateBackendFactory factory, Map<String, String> options) {
        this(name, factory, options, DEFAULT_LOCAL_BASE);
    }
}
