package io.runnel.api.state;

/** Describes a {@link ValueState}. */
public final class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>> {

    private final Class<T> type;

    public ValueStateDescriptor(String name, Class<T> type) {
        super(name);
        this.type = type;
    }

    public Class<T> type() {
        return type;
    }
}
