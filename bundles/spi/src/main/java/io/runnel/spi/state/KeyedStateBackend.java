package io.runnel.spi.state;

import io.runnel.api.functions.KeyedStateFunction;
import io.runnel.api.state.AggregatingState;
import io.runnel.api.state.AggregatingStateDescriptor;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReducingState;
import io.runnel.api.state.ReducingStateDescriptor;
import io.runnel.api.state.StateDescriptor;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The keyed state of one operator subtask, over the key groups of its {@link KeyedStateBackendContext}.
 * The operator sets the current key (and, for windows, the current namespace) before calling user code;
 * every state handle then reads and writes that key's entry in that namespace.
 *
 * <p>Lifecycle, all on the task thread:
 * <pre>
 * created -> [restore | restoreNative] -> (setCurrentKey | setCurrentNamespace | state access
 *         | snapshot | notifyCheckpointComplete | notifyCheckpointAborted)* -> dispose
 * </pre>
 * State handles may be asked for before or after a restore: a restore empties and refills the states
 * in place, so handles asked for earlier keep working.
 *
 * <p>Thread safety: none; the task thread only. What {@link #snapshot} returns is written on another
 * thread and must not share mutable state with the backend.
 *
 * <p>Semantics every backend keeps (the contract test in the testkit checks them): a value state set
 * to null is cleared; an empty list or map is not stored; values past their time to live are neither
 * returned nor visited, and a read renews the time only if the descriptor's TTL says so; {@link
 * #applyToAllKeys} sees only state outside window namespaces.
 */
@ConsumerType
public interface KeyedStateBackend {

    /** The namespace of state that is not scoped to a window. */
    Object NO_NAMESPACE = new Object() {
        @Override
        public String toString() {
            return "(no namespace)";
        }
    };

    /**
     * Makes {@code key} current.
     *
     * @throws IllegalStateException if the key's group is not the subtask's (the key selector is not
     *     deterministic), naming the key and the groups
     */
    void setCurrentKey(Object key);

    Object currentKey();

    /** Makes {@code namespace} current; {@link #NO_NAMESPACE} for state outside windows. */
    void setCurrentNamespace(Object namespace);

    /**
     * The state handles. The first call for a name registers the state: its descriptor's serializer
     * (with the reader for a restored state's stored schema) is fixed then.
     *
     * @throws IllegalArgumentException if the name was registered as another kind of state
     * @throws IllegalStateException if restored values of the state cannot be read with the descriptor's
     *     serializer (the message names the state and the owner)
     */
    <T> ValueState<T> valueState(ValueStateDescriptor<T> descriptor);

    <T> ListState<T> listState(ListStateDescriptor<T> descriptor);

    <K, V> MapState<K, V> mapState(MapStateDescriptor<K, V> descriptor);

    <T> ReducingState<T> reducingState(ReducingStateDescriptor<T> descriptor);

    <IN, ACC, OUT> AggregatingState<IN, OUT> aggregatingState(AggregatingStateDescriptor<IN, ACC, OUT> descriptor);

    /**
     * Calls {@code function} with each key that has a live value in the state {@code descriptor} names
     * (outside window namespaces), that key made current, and the state's handle; afterwards the key
     * and namespace that were current before are current again.
     */
    <S> void applyToAllKeys(StateDescriptor<S> descriptor, KeyedStateFunction<Object, S> function) throws Exception;

    /** Restored states no descriptor has asked for yet, by name; they are not in later snapshots. */
    Set<String> unclaimedRestoredStates();

    /**
     * Whether this backend may answer a {@link SnapshotRequest#mayWriteNative() native-capable} request
     * with a {@link NativeStateHandle}; only then does the runtime prepare directories for it. The
     * default says no.
     */
    default boolean writesNativeCheckpoints() {
        return false;
    }

    /**
     * The synchronous part of a snapshot, on the task thread: a consistent cut of the state as it is now.
     * Keep it short; the rest belongs in {@link KeyedStateSnapshot#materialize}.
     *
     * @throws Exception if the cut failed: the checkpoint fails, the task goes on
     */
    KeyedStateSnapshot snapshot(SnapshotRequest request) throws Exception;

    /**
     * Replaces all state with portable state read back from a checkpoint or savepoint (of this or any
     * other backend), already narrowed to this subtask's key groups. Values may stay as bytes until
     * their state is asked for, so that the descriptor given then chooses the reader.
     */
    void restore(PortableKeyedState.Restored restored);

    /**
     * Replaces all state with the native checkpoints of this backend; with rescaling there are several,
     * whose key groups may reach beyond this subtask's (keep only its own).
     *
     * @throws UnsupportedOperationException if the backend writes no native format; the default
     */
    default void restoreNative(List<NativeRestore> handles) throws Exception {
        throw new UnsupportedOperationException("This state backend has no native snapshot format");
    }

    /**
     * The checkpoint of that id completed; a backend with incremental checkpoints may build on it now.
     * Shared files stay while a retained checkpoint names them, and retention keeps at least the latest
     * completed checkpoint: a new checkpoint may name shared files of the latest checkpoint confirmed
     * here, never of older ones.
     */
    default void notifyCheckpointComplete(long checkpointId) {}

    /** The checkpoint of that id will not complete. */
    default void notifyCheckpointAborted(long checkpointId) {}

    /**
     * Releases everything the backend holds; it is not used afterwards. Must not throw. A snapshot taken
     * before may still be materialized afterwards (the state a finished task ends with is written after
     * the task closed): a backend whose asynchronous part needs resources of the backend keeps them
     * until that snapshot is materialized or discarded.
     */
    void dispose();
}
