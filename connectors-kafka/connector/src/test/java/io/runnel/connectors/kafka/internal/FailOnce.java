package io.runnel.connectors.kafka.internal;

import io.runnel.api.functions.MapFunction;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Passes records on, and throws once (across restarts) when it meets {@code trigger}: an injected task failure. */
final class FailOnce<T> implements MapFunction<T, T>, Serializable {

    private static final long serialVersionUID = 1L;
    static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    private final String name;
    private final T trigger;

    FailOnce(String name, T trigger) {
        this.name = name;
        this.trigger = trigger;
        FAILED.put(name, new AtomicBoolean());
    }

    @Override
    public T map(T value) {
        if (value.equals(trigger) && FAILED.get(name).compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure at " + value);
        }
        return value;
    }

    static boolean failed(String name) {
        return FAILED.get(name).get();
    }
}
