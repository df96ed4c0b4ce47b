package io.runnel.api.windowing;

import java.util.Collection;
import java.util.List;

/** Every record of a key in one {@link GlobalWindow}; needs a trigger other than the default, which never fires. */
public final class GlobalWindows<T> extends WindowAssigner<T, GlobalWindow> {

    private static final long serialVersionUID = 1L;

    public static <T> GlobalWindows<T> create() {
        return new GlobalWindows<>();
    }

    @Override
    public Collection<GlobalWindow> assignWindows(T record, long timestamp, long processingTime) {
        return List.of(GlobalWindow.INSTANCE);
    }

    @Override
    public Trigger<T, GlobalWindow> defaultTrigger() {
        return new Trigger<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public TriggerResult onElement(T record, long timestamp, GlobalWindow window, TriggerContext context) {
                return TriggerResult.CONTINUE;
            }
        };
    }

    @Override
    public boolean isEventTime() {
        return false;
    }

    @Override
    public io.runnel.api.types.TypeSerializer<GlobalWindow> windowSerializer() {
        return GlobalWindow.serializer();
    }
}
