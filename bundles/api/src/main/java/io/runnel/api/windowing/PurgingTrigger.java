package io.runnel.api.windowing;

/** Wraps a trigger so that every firing also drops the window's contents. */
public final class PurgingTrigger<T, W extends Window> extends Trigger<T, W> {

    private static final long serialVersionUID = 1L;
    private final Trigger<T, W> inner;

    private PurgingTrigger(Trigger<T, W> inner) {
        this.inner = inner;
    }

    public static <T, W extends Window> PurgingTrigger<T, W> of(Trigger<T, W> inner) {
        return new PurgingTrigger<>(inner);
    }

    @Override
    public TriggerResult onElement(T record, long timestamp, W window, TriggerContext context) throws Exception {
        return purging(inner.onElement(record, timestamp, window, context));
    }

    @Override
    public TriggerResult onEventTime(long time, W window, TriggerContext context) throws Exception {
        return purging(inner.onEventTime(time, window, context));
    }

    @Override
    public TriggerResult onProcessingTime(long time, W window, TriggerContext context) throws Exception {
        return purging(inner.onProcessingTime(time, window, context));
    }

    @Override
    public boolean canMerge() {
        return inner.canMerge();
    }

    @Override
    public void onMerge(W window, TriggerContext context) throws Exception {
        inner.onMerge(window, context);
    }

    @Override
    public void clear(W window, TriggerContext context) throws Exception {
        inner.clear(window, context);
    }

    private static TriggerResult purging(TriggerResult result) {
        return result.isFire() ? TriggerResult.FIRE_AND_PURGE : result;
    }
}
