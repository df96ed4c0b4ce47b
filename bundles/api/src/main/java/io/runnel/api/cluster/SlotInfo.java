package io.runnel.api.cluster;

import io.runnel.api.JobId;
import java.util.Objects;
import java.util.Optional;

/**
 * A task slot as the cluster's slot registry sees it.
 *
 * @param id which slot
 * @param state free or allocated
 * @param job the job holding an allocated slot; {@code null} exactly when the slot is free
 */
public record SlotInfo(SlotId id, SlotState state, JobId job) {

    public SlotInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        if ((state == SlotState.ALLOCATED) != (job != null)) {
            throw new IllegalArgumentException("Slot " + id + " is " + state
                    + (job == null ? " without a job" : " but names job " + job));
        }
    }

    /** A free slot. */
    public static SlotInfo free(SlotId id) {
        return new SlotInfo(id, SlotState.FREE, null);
    }

    /** A slot allocated to {@code job}. */
    public static SlotInfo allocated(SlotId id, JobId job) {
        return new SlotInfo(id, SlotState.ALLOCATED, Objects.requireNonNull(job, "job"));
    }

    /** The job holding the slot, if it is allocated. */
    public Optional<JobId> allocatedTo() {
        return Optional.ofNullable(job);
    }
}
