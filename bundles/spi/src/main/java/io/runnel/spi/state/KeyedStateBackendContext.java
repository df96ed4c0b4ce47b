package io.runnel.spi.state;

import io.runnel.api.types.TypeSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the runtime tells a keyed state backend about the operator subtask it serves. One context per
 * backend; its values do not change.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
@ProviderType
public interface KeyedStateBackendContext {

    /** The first key group the subtask owns (inclusive). */
    int firstKeyGroup();

    /** The last key group the subtask owns (inclusive). */
    int lastKeyGroup();

    /** The job's number of key groups; see {@link KeyGroups#keyGroupFor}. */
    int maxParallelism();

    /** Processing time in milliseconds, the clock of state time-to-live; the task's clock. */
    LongSupplier processingTimeClock();

    /** The class loader of the job's classes, for serializers of state whose descriptor names no class. */
    ClassLoader userClassLoader();

    /** The serializer of the operator's keys (they carry their class: key selectors declare no type). */
    TypeSerializer<Object> keySerializer();

    /** The serializer of the operator's window namespaces, if it has windows. */
    Optional<TypeSerializer<Object>> namespaceSerializer();

    /**
     * Whose state this is, to follow a state's name in errors, e.g. {@code " of the operator with uid
     * 'totals'"} (with a leading space), or empty if unknown.
     */
    String owner();

    /** The backend options, without their {@code state.backend.<name>.} prefix; validated at submission. */
    Map<String, String> options();

    /**
     * A directory on local disk for this backend alone (a database's working files). The runtime
     * creates it on the first call and deletes it, with everything in it, after {@link
     * KeyedStateBackend#dispose}.
     *
     * @throws IOException if it cannot be created (the message names it)
     */
    Path localDirectory() throws IOException;

    /**
     * The job's shared-state directory of incremental checkpoints ({@code <checkpoint base>/<job>/shared/}),
     * if the runtime knows it when it creates the backend; empty otherwise. What counts are the
     * directories each {@link SnapshotRequest} and {@link NativeRestore} names.
     */
    Optional<Path> sharedStateDirectory();

    /**
     * The task slot the subtask runs in, if the runtime knows it. Contexts of subtasks that share a
     * slot (the keyed operators of one job deployment with the same subtask index, chained or not)
     * return equal ids; contexts of other slots in this JVM, of this job or another, return other ids.
     * A backend may share per-slot resources among the backends of one slot, such as one memory bound
     * for all of them, and must release them when the last of those backends is disposed.
     *
     * @return the slot's id, or empty if unknown (the subtask then counts as a slot of its own)
     * @since 1.1
     */
    default Optional<String> slotId() {
        return Optional.empty();
    }
}
