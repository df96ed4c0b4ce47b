package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.state.OperatorStateSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Everything one operator subtask saves at a snapshot: its keyed state with timers (null if it has
 * none) and its operator state (null if it has none). A snapshot may be {@linkplain #pending
 * pending}: taken at the barrier but valid only once something outside completes (a sink's
 * pre-commit waiting for its records to be acknowledged); it is written, and the checkpoint
 * acknowledged, only after that.
 */
public record OperatorSnapshot(Object keyed, OperatorStateSnapshot operator, CompletableFuture<OperatorSnapshot> pending) {

    public static final OperatorSnapshot NONE = new OperatorSnapshot(null, null);

    public OperatorSnapshot(Object keyed, OperatorStateSnapshot operator) {
        this(keyed, operator, null);
    }

    /** A snapshot that is the value of {@code later} once it completes; a failure fails the checkpoint. */
    public static OperatorSnapshot pending(CompletableFuture<OperatorSnapshot> later) {
        return new OperatorSnapshot(null, null, later);
    }

    /** This snapshot, or the value of a pending one once it completed (waiting for it). */
    public OperatorSnapshot awaitReady() {
        return pending == null ? this : pending.join();
    }

    /**
     * {@code snapshots} with every pending one replaced by its value, once all have completed; at
     * once if none is pending. Null elements stay null. Fails with the first failure.
     */
    public static CompletableFuture<List<OperatorSnapshot>> whenReady(List<OperatorSnapshot> snapshots) {
        List<CompletableFuture<OperatorSnapshot>> waits = new ArrayList<>();
        for (OperatorSnapshot snapshot : snapshots) {
            if (snapshot != null && snapshot.pending() != null) {
                waits.add(snapshot.pending());
            }
        }
        if (waits.isEmpty()) {
            return CompletableFuture.completedFuture(snapshots);
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<OperatorSnapshot> ready = new ArrayList<>(snapshots.size());
            for (OperatorSnapshot snapshot : snapshots) {
                ready.add(snapshot == null || snapshot.pending() == null ? snapshot : snapshot.pending().join());
            }
            return ready;
        });
    }
}
