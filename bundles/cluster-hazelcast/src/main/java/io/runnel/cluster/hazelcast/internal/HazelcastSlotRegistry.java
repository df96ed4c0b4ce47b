package io.runnel.cluster.hazelcast.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.cluster.SlotListener;
import io.runnel.spi.cluster.SlotRegistry;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slot table as a replicated Hazelcast map from {@code node#index} to the slot's state
 * ({@code FREE}, or {@code ALLOCATED <job id>}). Plain strings keep the map readable by any member,
 * whatever bundles it runs. Allocation and release are compare-and-set replacements of one entry.
 */
final class HazelcastSlotRegistry implements SlotRegistry {

    static final String MAP_NAME = "runnel.slots";
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastSlotRegistry.class);
    private static final String FREE = "FREE";
    private static final String ALLOCATED = "ALLOCATED ";
    private static final Comparator<SlotInfo> ORDER = Comparator.comparing((SlotInfo s) -> s.id().node().value())
            .thenComparingInt(s -> s.id().index());

    private final IMap<String, String> slots;
    private final ListenerDispatch.Listeners<SlotListener> listeners;
    private final UUID mapListener;
    /** What nodes of this process offered, so lost entries can be put back. */
    private final Map<NodeId, Integer> localOffers = new java.util.concurrent.ConcurrentHashMap<>();

    HazelcastSlotRegistry(HazelcastInstance hazelcast, ListenerDispatch dispatch) {
        this.slots = hazelcast.getMap(MAP_NAME);
        this.listeners = dispatch.newListeners();
        this.mapListener = slots.addEntryListener(new MapEvents(dispatch), true);
    }

    @Override
    public void offerSlots(NodeId node, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A TaskManager offers at least one slot, but node " + node + " offered " + count);
        }
        withdrawSlots(node);
        Map<String, String> offered = new HashMap<>();
        for (int i = 0; i < count; i++) {
            offered.put(new SlotId(node, i).toString(), FREE);
        }
        slots.putAll(offered);
        localOffers.put(node, count);
        LOG.info("Node {} registered {} task slot(s)", node, count);
    }

    @Override
    public void withdrawSlots(NodeId node) {
        localOffers.remove(node);
        String prefix = node.value() + "#";
        int removed = 0;
        for (String key : slots.keySet()) {
            if (key.startsWith(prefix)) {
                slots.delete(key);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("Removed {} task slot(s) of node {}", removed, node);
        }
    }

    /** Reads of the whole table are retried this often when a membership change makes one fail. */
    private static final int READ_ATTEMPTS = 4;

    @Override
    public List<SlotInfo> slots() {
        for (int attempt = 1; ; attempt++) {
            try {
                return slots.entrySet().stream()
                        .map(e -> decode(e.getKey(), e.getValue()))
                        .sorted(ORDER)
                        .collect(Collectors.toList());
            } catch (RuntimeException e) {
                // While members come and go, a read can hit a partition owner that just left.
                if (attempt == READ_ATTEMPTS) {
                    throw new IllegalStateException("The cluster's slot table could not be read after " + READ_ATTEMPTS
                            + " attempts (is the cluster changing membership?): " + e.getMessage(), e);
                }
                LOG.debug("Reading the slot table failed (attempt {}), retrying", attempt, e);
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while reading the slot table", interrupted);
                }
            }
        }
    }

    @Override
    public boolean allocate(SlotId slot, JobId job) {
        return slots.replace(slot.toString(), FREE, ALLOCATED + job.value());
    }

    @Override
    public boolean release(SlotId slot, JobId job) {
        return slots.replace(slot.toString(), ALLOCATED + job.value(), FREE);
    }

    @Override
    public Registration addListener(SlotListener listener) {
        return listeners.add(listener);
    }

    /**
     * Drops the slots of nodes that are no longer members. Leaving members are handled as they leave;
     * this catches what a crash at the wrong moment left behind.
     */
    void removeSlotsOfDepartedNodes(List<NodeInfo> members) {
        Set<String> live = members.stream().map(n -> n.id().value()).collect(Collectors.toSet());
        for (String key : slots.keySet()) {
            String node = key.substring(0, Math.max(0, key.lastIndexOf('#')));
            if (!live.contains(node)) {
                slots.delete(key);
                LOG.info("Removed task slot {}: its node is no longer in the cluster", key);
            }
        }
    }

    /**
     * Puts back, as free, slots this process offered that are missing from the table: entries can be
     * lost when several members die at once. Their allocation, if any, is not known any more; the
     * JobManager reconciles allocations with running jobs.
     */
    void restoreLostLocalSlots() {
        for (Map.Entry<NodeId, Integer> offer : localOffers.entrySet()) {
            for (int i = 0; i < offer.getValue(); i++) {
                String key = new SlotId(offer.getKey(), i).toString();
                if (slots.putIfAbsent(key, FREE) == null) {
                    LOG.warn("Task slot {} was missing from the cluster's slot table (lost with failed members); registered it again", key);
                }
            }
        }
    }

    void close() {
        try {
            slots.removeEntryListener(mapListener);
        } catch (RuntimeException e) {
            LOG.debug("Slot map listener already gone with the Hazelcast member", e);
        }
    }

    static SlotInfo decode(String key, String value) {
        SlotId id = SlotId.parse(key);
        if (value.startsWith(ALLOCATED)) {
            return SlotInfo.allocated(id, new JobId(value.substring(ALLOCATED.length())));
        }
        return SlotInfo.free(id);
    }

    /** Forwards map changes from Hazelcast's event threads to the dispatch thread. */
    private final class MapEvents implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String> {
        private final ListenerDispatch dispatch;

        MapEvents(ListenerDispatch dispatch) {
            this.dispatch = dispatch;
        }

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            updated(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            updated(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            SlotId id = SlotId.parse(event.getKey());
            dispatch.submit("slot removed", () -> listeners.forEach("slotRemoved", l -> l.slotRemoved(id)));
        }

        private void updated(String key, String value) {
            SlotInfo slot = decode(key, value);
            dispatch.submit("slot updated", () -> listeners.forEach("slotUpdated", l -> l.slotUpdated(slot)));
        }
    }
}
