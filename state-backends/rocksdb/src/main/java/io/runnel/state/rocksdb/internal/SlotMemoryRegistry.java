package io.runnel.state.rocksdb.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link SlotMemory} of each task slot that has RocksDB backends open: the first backend of a
 * slot creates it, later ones of the same slot share it, and the last one to let go closes it. So
 * {@code memory.managed-per-slot} bounds all RocksDB instances of a slot together, however many
 * keyed operators (chained or not) the slot runs, as in Flink.
 *
 * <p>One registry per backend factory (per bundle activation): a bundle update starts a new one
 * after the old factory closed all its backends. Thread-safe.
 */
public final class SlotMemoryRegistry {

    private final Map<Slot, Shared> slots = new HashMap<>();

    /** A slot, by the runtime's id and the bound asked for (backends of one slot ask for the same one). */
    private record Slot(String id, long bytes) {}

    private static final class Shared {
        final SlotMemory memory;
        int users;

        Shared(SlotMemory memory) {
            this.memory = memory;
        }
    }

    /**
     * The memory of slot {@code slotId}, bounded to {@code bytes}; every call must be matched by one
     * {@link #release} of the returned memory once the backend that asked has closed its instance.
     */
    public synchronized SlotMemory acquire(String slotId, long bytes) {
        Shared shared = slots.computeIfAbsent(new Slot(slotId, bytes), slot -> new Shared(new SlotMemory(bytes)));
        shared.users++;
        return shared.memory;
    }

    /** Lets go of memory from {@link #acquire}; the last user of a slot's memory frees it. */
    public synchronized void release(String slotId, SlotMemory memory) {
        Slot slot = new Slot(slotId, memory.bytes());
        Shared shared = slots.get(slot);
        if (shared == null || shared.memory != memory) {
            throw new IllegalStateException("Slot memory of slot '" + slotId + "' released more often than acquired");
        }
        if (--shared.users == 0) {
            slots.remove(slot);
            memory.close();
        }
    }

    /** How many slots have memory now, for tests and metrics. */
    public synchronized int slotsInUse() {
        return slots.size();
    }

    /** How many backends use the memory of slot {@code slotId} now (0 if none), for tests and metrics. */
    public synchronized int usersOf(String slotId) {
        int users = 0;
        for (Map.Entry<Slot, Shared> entry : slots.entrySet()) {
            if (entry.getKey().id().equals(slotId)) {
                users += entry.getValue().users;
            }
        }
        return users;
    }
}
