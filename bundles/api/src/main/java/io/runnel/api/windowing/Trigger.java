package io.runnel.api.windowing;

import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import java.io.Serializable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides when a window fires. Called per record and per timer of the window, for the window's key.
 * State and timers obtained through the context belong to the key and window; {@link #clear} must
 * delete what the trigger set up, and runs when the window is discarded.
 */
public abstract class Trigger<T, W extends Window> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Timers and state of the current key and window. */
    @ProviderType
    public interface TriggerContext {
        long currentProcessingTime();

        long currentWatermark();

        void registerEventTimeTimer(long time);

        void registerProcessingTimeTimer(long time);

        void deleteEventTimeTimer(long time);

        void deleteProcessingTimeTimer(long time);

        /** A value scoped to the current key and window. */
        <S> ValueState<S> getState(ValueStateDescriptor<S> descriptor);
    }

    public abstract TriggerResult onElement(T record, long timestamp, W window, TriggerContext context) throws Exception;

    public TriggerResult onEventTime(long time, W window, TriggerContext context) throws Exception {
        return TriggerResult.CONTINUE;
    }

    public TriggerResult onProcessingTime(long time, W window, TriggerContext context) throws Exception {
        return TriggerResult.CONTINUE;
    }

    /** Whether the trigger supports merging windows (session windows). */
    public boolean canMerge() {
        return false;
    }

    /** Windows merged into {@code window}: set up timers for it (state of the old windows is gone). */
    public void onMerge(W window, TriggerContext context) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " does not support merging windows");
    }

    /** The window is discarded: delete timers and state this trigger made for it. */
    public void clear(W window, TriggerContext context) throws Exception {}
}
