package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.cluster.SlotState;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.cluster.SlotListener;
import io.runnel.spi.cluster.SlotRegistry;
import java.util.Map;
import java.util.TreeMap;

/** A slot table in a map, with the registry's compare-and-set semantics; thread-safe, as restarts run on threads of their own. */
final class JobRunsTestRegistry implements SlotRegistry {
    private final Map<SlotId, SlotInfo> table = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    /** Runs once, the next time the table is listed, before it is; for races with whoever lists it. */
    private final java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextListing =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Allocations refused from now on, as if another JobManager took the slots just before. */
    private final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();

    void beforeNextListing(Runnable action) {
        beforeNextListing.set(action);
    }

    /** The next {@code count} allocations fail although the slot is listed FREE. */
    void refuseNextAllocations(int count) {
        refusals.set(count);
    }

    /**
     * Puts {@code slot} back to ALLOCATED to {@code job}, whatever it is now: what the cluster's table
     * can do when the members holding the newest copy of an entry crash together.
     */
    synchronized void bringBackAllocation(SlotId slot, JobId job) {
        table.put(slot, SlotInfo.allocated(slot, job));
    }

    @Override
    public synchronized void offerSlots(NodeId node, int count) {
        for (int i = 0; i < count; i++) {
            table.put(new SlotId(node, i), SlotInfo.free(new SlotId(node, i)));
        }
    }

    @Override
    public synchronized void withdrawSlots(NodeId node) {
        table.keySet().removeIf(id -> id.node().equals(node));
    }

    @Override
    public java.util.List<SlotInfo> slots() {
        Runnable action = beforeNextListing.getAndSet(null);
        if (action != null) {
            action.run();
        }
        synchronized (this) {
            return java.util.List.copyOf(table.values());
        }
    }

    @Override
    public synchronized boolean allocate(SlotId slot, JobId job) {
        SlotInfo current = table.get(slot);
        if (current == null || current.state() != SlotState.FREE) {
            return false;
        }
        if (refusals.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            return false;
        }
        table.put(slot, SlotInfo.allocated(slot, job));
        return true;
    }

    @Override
    public synchronized boolean release(SlotId slot, JobId job) {
        SlotInfo current = table.get(slot);
        if (current == null || !job.equals(current.job())) {
            return false;
        }
        table.put(slot, SlotInfo.free(slot));
        return true;
    }

    @Override
    public Registration addListener(SlotListener listener) {
        return () -> {};
    }
}
