package io.runnel.api.windowing;

import java.io.Serializable;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Removes records from a window when it fires: before the window function sees them
 * ({@link #evictBefore}) and/or after ({@link #evictAfter}); what remains stays in the window. A
 * window with an evictor keeps all its records (no incremental aggregation). Serializable, copied per
 * subtask.
 */
public interface Evictor<T, W extends Window> extends Serializable {

    /** Time as the evictor sees it. */
    @ProviderType
    interface EvictorContext {
        long currentWatermark();

        long currentProcessingTime();
    }

    /** Remove from {@code records} (in arrival order) what the window function must not see. */
    void evictBefore(List<TimestampedRecord<T>> records, W window, EvictorContext context);

    /** Remove from {@code records} what must not stay in the window after it fired. */
    void evictAfter(List<TimestampedRecord<T>> records, W window, EvictorContext context);
}
