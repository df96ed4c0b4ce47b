package io.runnel.api.windowing;

import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;

/** Fires every {@code count} records of the window. */
public final class CountTrigger<T, W extends Window> extends Trigger<T, W> {

    private static final long serialVersionUID = 1L;
    private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count-trigger", Long.class);
    private final long count;

    private CountTrigger(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("A count trigger needs a count of at least 1, but got " + count);
        }
        this.count = count;
    }

    public static <T, W extends Window> CountTrigger<T, W> of(long count) {
        return new CountTrigger<>(count);
    }

    @Override
    public TriggerResult onElement(T record, long timestamp, W window, TriggerContext context) {
        ValueState<Long> seen = context.getState(COUNT);
        long now = (seen.value() == null ? 0 : seen.value()) + 1;
        if (now >= count) {
            seen.clear();
            return TriggerResult.FIRE;
        }
        seen.update(now);
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(W window, TriggerContext context) {
        context.getState(COUNT).clear();
    }
}
