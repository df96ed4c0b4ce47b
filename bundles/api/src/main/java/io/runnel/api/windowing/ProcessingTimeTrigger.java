package io.runnel.api.windowing;

/** Fires when the wall clock passes the window's end. */
public final class ProcessingTimeTrigger<T> extends Trigger<T, Window> {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    public static <T, W extends Window> Trigger<T, W> create() {
        return (Trigger<T, W>) (Trigger<?, ?>) new ProcessingTimeTrigger<T>();
    }

    @Override
    public TriggerResult onElement(T record, long timestamp, Window window, TriggerContext context) {
        context.registerProcessingTimeTimer(window.maxTimestamp());
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, Window window, TriggerContext context) {
        return TriggerResult.FIRE;
    }

    @Override
    public boolean canMerge() {
        return true;
    }

    @Override
    public void onMerge(Window window, TriggerContext context) {
        context.registerProcessingTimeTimer(window.maxTimestamp());
    }

    @Override
    public void clear(Window window, TriggerContext context) {
        context.deleteProcessingTimeTimer(window.maxTimestamp());
    }
}
