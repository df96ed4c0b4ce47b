package io.runnel.jobmanager.internal;

import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.cluster.SlotListener;
import io.runnel.spi.cluster.SlotRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The JobManager's copy of the cluster's slot table, kept current by the registry's change events.
 * Reads are local and never block on the cluster.
 *
 * <p>Thread safety: updated from the registry's notification thread, read from any thread.
 */
final class SlotPool implements SlotListener, AutoCloseable {

    private static final Comparator<SlotId> ORDER = Comparator.comparing((SlotId s) -> s.node().value())
            .thenComparingInt(SlotId::index);

    private final ConcurrentSkipListMap<SlotId, SlotInfo> slots = new ConcurrentSkipListMap<>(ORDER);
    private final Registration registration;
    private final Runnable onChange;

    /** @param onChange called after each change, on the registry's notification thread */
    SlotPool(SlotRegistry registry, Runnable onChange) {
        this.onChange = onChange;
        // Listen first, then read the table, so no change falls between the two.
        this.registration = registry.addListener(this);
        for (SlotInfo slot : registry.slots()) {
            slots.putIfAbsent(slot.id(), slot);
        }
    }

    @Override
    public void slotUpdated(SlotInfo slot) {
        slots.put(slot.id(), slot);
        onChange.run();
    }

    @Override
    public void slotRemoved(SlotId slot) {
        slots.remove(slot);
        onChange.run();
    }

    /** Every slot in the pool, ordered by node and index. */
    List<SlotInfo> slots() {
        return new ArrayList<>(slots.values());
    }

    @Override
    public void close() {
        registration.close();
    }
}
