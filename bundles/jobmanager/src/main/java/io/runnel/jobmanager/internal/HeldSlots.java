package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotId;
import io.runnel.spi.cluster.SlotRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The task slots one job holds in the cluster's slot table. A restarting job gives its slots back
 * and takes new ones; once the job ended ({@link #close}), every slot is released and no new one is
 * taken, so a restart that races the job's end cannot leave slots allocated to a job that is gone.
 *
 * <p>Thread safety: all methods are synchronized; they call the slot registry under this object's
 * lock, which nothing else holds while waiting for another lock.
 */
final class HeldSlots implements AutoCloseable {

    private final SlotRegistry registry;
    private final JobId job;
    private final List<SlotId> slots = new ArrayList<>();
    private final Runnable onClose;
    private boolean closed;

    HeldSlots(SlotRegistry registry, JobId job) {
        this(registry, job, () -> {});
    }

    /** @param onClose runs once the job ended and its slots are released */
    HeldSlots(SlotRegistry registry, JobId job, Runnable onClose) {
        this.registry = registry;
        this.job = job;
        this.onClose = onClose;
    }

    /** The job whose slots these are. */
    JobId job() {
        return job;
    }

    /**
     * Releases {@code slot}, which the slot table shows allocated to this job, unless it is one of
     * the slots held here. Under this object's lock, so a slot being taken at the same moment is
     * never released behind the job's back.
     *
     * @return whether the slot was released
     */
    synchronized boolean releaseIfNotHeld(SlotId slot) {
        return !slots.contains(slot) && registry.release(slot, job);
    }

    /**
     * Allocates the first {@code count} of {@code candidates} that are still free (others may have
     * taken some since they were listed); all or nothing.
     *
     * @return whether {@code count} slots are held now; if not, none is, and none was taken
     */
    synchronized boolean takeAll(List<SlotId> candidates, int count) {
        takeUpTo(candidates, count);
        if (slots.size() < count) {
            releaseAll();
            return false;
        }
        return true;
    }

    /** Allocates at most {@code count} of {@code candidates}, in order; after {@link #close}, none. */
    synchronized void takeUpTo(List<SlotId> candidates, int count) {
        for (SlotId slot : candidates) {
            if (closed || slots.size() >= count) {
                return;
            }
            if (registry.allocate(slot, job)) {
                slots.add(slot);
            }
        }
    }

    /** Releases every slot held; more may be taken afterwards, unless closed. */
    synchronized void releaseAll() {
        for (SlotId slot : slots) {
            registry.release(slot, job);
        }
        slots.clear();
    }

    /** The slots held now. */
    synchronized List<SlotId> slots() {
        return List.copyOf(slots);
    }

    /** The node of each slot held now, by slot index. */
    synchronized List<NodeId> nodes() {
        return slots.stream().map(SlotId::node).toList();
    }

    /** The job ended: releases every slot and takes none from now on. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            releaseAll();
        }
        onClose.run();
    }
}
