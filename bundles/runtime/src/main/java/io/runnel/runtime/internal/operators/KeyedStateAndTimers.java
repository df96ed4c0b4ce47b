package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.state.HeapKeyedStateBackend;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.task.KeyGroups;
import java.util.List;
import java.util.Map;

/**
 * The keyed state and timers of one keyed operator subtask, over the key groups it owns, on the
 * task's clock; snapshotted together, and restored together from the task's snapshot when created.
 */
final class KeyedStateAndTimers {

    final HeapKeyedStateBackend state;
    final KeyedTimers timers;

    KeyedStateAndTimers(OperatorContext context, OperatorServices services, KeyedTimers.Target onTimer) {
        this.state = new HeapKeyedStateBackend(
                KeyGroups.firstKeyGroup(context.subtaskIndex(), context.maxParallelism(), context.parallelism()),
                KeyGroups.lastKeyGroup(context.subtaskIndex(), context.maxParallelism(), context.parallelism()),
                context.maxParallelism(), services.timers()::now);
        this.timers = new KeyedTimers(services.timers(), onTimer);
        if (services.restoredKeyed() != null) {
            restore(services.restoredKeyed());
        }
    }

    /** State and timers as they are now; later processing does not change the snapshot. */
    Object snapshot() {
        return List.of(state.snapshot(), timers.snapshot());
    }

    @SuppressWarnings("unchecked")
    private void restore(Object snapshot) {
        List<Object> parts = (List<Object>) snapshot;
        state.restore((Map<String, Object>) parts.get(0));
        timers.restore((KeyedTimers.Snapshot) parts.get(1));
    }
}
