package io.runnel.api.windowing;

/** Fires when the watermark passes the window's end, and again for each late record within the allowed lateness. */
public final class EventTimeTrigger<T> extends Trigger<T, Window> {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    public static <T, W extends Window> Trigger<T, W> create() {
        return (Trigger<T, W>) (Trigger<?, ?>) new EventTimeTrigger<T>();
    }

    @Override
    public TriggerResult onElement(T record, long timestamp, Window window, TriggerContext context) {
        if (window.maxTimestamp() <= context.currentWatermark()) {
            return TriggerResult.FIRE; // a late record within the allowed lateness: fire again at once
        }
        context.registerEventTimeTimer(window.maxTimestamp());
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, Window window, TriggerContext context) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public boolean canMerge() {
        return true;
    }

    @Override
    public void onMerge(Window window, TriggerContext context) {
        if (window.maxTimestamp() > context.currentWatermark()) {
            context.registerEventTimeTimer(window.maxTimestamp());
        }
    }

    @Override
    public void clear(Window window, TriggerContext context) {
        context.deleteEventTimeTimer(window.maxTimestamp());
    }
}
