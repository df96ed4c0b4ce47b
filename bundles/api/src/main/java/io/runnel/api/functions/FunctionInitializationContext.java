package io.runnel.api.functions;

import io.runnel.api.state.OperatorStateStore;
import org.osgi.annotation.versioning.ProviderType;

/** What {@link CheckpointedFunction#initializeState} is given. */
@ProviderType
public interface FunctionInitializationContext {

    /** True if the subtask starts from a snapshot, so its states hold restored contents. */
    boolean isRestored();

    OperatorStateStore getOperatorStateStore();

    /** The index of this parallel subtask, from 0. */
    int subtaskIndex();

    /** The operator's parallelism now (it may differ from the one the snapshot was taken at). */
    int parallelism();
}
