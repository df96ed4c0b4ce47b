package io.runnel.api.state;

/** Describes a {@link ListState}. */
public final class ListStateDescriptor<T> extends StateDescriptor<ListState<T>> {

    private final Class<T> elementType;

    public ListStateDescriptor(String name, Class<T> elementType) {
        super(name);
        this.elementType = elementType;
    }

    public Class<T> elementType() {
        return elementType;
    }
}
