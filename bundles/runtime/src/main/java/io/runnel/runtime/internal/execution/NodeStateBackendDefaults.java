package io.runnel.runtime.internal.execution;

import io.runnel.api.stream.ExecutionOptions;
import io.runnel.runtime.internal.state.LocalStateRoot;
import io.runnel.runtime.internal.state.StateBackendChoice;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A node's state backend settings, from its TaskManager configuration: the default backend of jobs that
 * choose none ({@code state.backend.type}), the node's options of each backend
 * ({@code state.backend.<name>.<option>}), and where backends make their local working directories
 * ({@code <node.data-dir>/state-local}).
 *
 * @param defaultBackend the default backend's name
 * @param optionsByBackend options by backend name, without their prefix
 * @param localStateDirectory where local working directories go
 */
record NodeStateBackendDefaults(String defaultBackend, Map<String, Map<String, String>> optionsByBackend,
        Path localStateDirectory) {

    /** Reads the settings from component properties; missing ones take their defaults. */
    static NodeStateBackendDefaults from(Map<String, Object> properties) {
        Object type = properties.get(ExecutionOptions.STATE_BACKEND_TYPE);
        Map<String, String> text = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(ExecutionOptions.STATE_BACKEND_PREFIX) && value != null) {
                text.put(key, value.toString());
            }
        });
        Object dataDir = properties.get("node.data-dir");
        return new NodeStateBackendDefaults(type == null ? LocalStreamEnvironment.DEFAULT_STATE_BACKEND : type.toString(),
                ExecutionOptions.stateBackendOptions(text),
                dataDir != null ? Path.of(dataDir.toString(), "state-local") : StateBackendChoice.DEFAULT_LOCAL_BASE);
    }

    /** These settings with local working directories under {@code directory}. */
    NodeStateBackendDefaults withLocalStateDirectory(Path directory) {
        return new NodeStateBackendDefaults(defaultBackend, optionsByBackend, directory);
    }

    /**
     * Claims this process's part of the local state directory (see {@link LocalStateRoot}), cleaning
     * what dead node processes left there. If that fails, backends use the directory itself and the
     * failure is logged: a backend needing it then fails its task with the path in the message.
     *
     * @return the claim to close when the claiming component stops, or null
     */
    LocalStateRoot.Claim claimLocalState(org.slf4j.Logger log) {
        try {
            return LocalStateRoot.claim(localStateDirectory);
        } catch (java.io.IOException e) {
            log.warn("Keyed state backends make their working directories directly in {}: {}", localStateDirectory,
                    e.getMessage());
            return null;
        }
    }

    /** Gives {@code env} these defaults. */
    LocalStreamEnvironment applyTo(LocalStreamEnvironment env) {
        return env.setDefaultStateBackend(defaultBackend, optionsByBackend).setLocalStateDirectory(localStateDirectory);
    }
}
