package io.runnel.state.rocksdb.internal;

import io.runnel.api.state.ListState;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A list per key; an empty list is not stored. Elements are stored one after another, each after a
 * presence byte (so nulls round-trip), which lets {@link #add} append with a RocksDB merge and no
 * read. With a time to live the value starts with the time of access, which a merge cannot update,
 * so such lists are read, extended and written whole.
 */
final class RocksListState<T> implements ListState<T> {

    private final RocksKeyedStateBackend backend;
    private final StateColumn column;

    RocksListState(RocksKeyedStateBackend backend, StateColumn column) {
        this.backend = backend;
        this.column = column;
    }

    @Override
    public List<T> get() {
        if (!backend.read(column, false)) {
            return List.of();
        }
        return decode(backend.readInput());
    }

    @SuppressWarnings("unchecked")
    private List<T> decode(ByteInput bytes) {
        List<T> values = new ArrayList<>();
        DataInputStream in = bytes.data();
        try {
            while (bytes.hasRemaining()) {
                values.add(in.readByte() == 0 ? null : (T) column.serializer.deserialize(in));
            }
        } catch (IOException e) {
            throw backend.failure(column, "decode", e);
        }
        return values;
    }

    @Override
    public void add(T value) {
        if (column.timeToLive) {
            addAll(Collections.singletonList(value));
            return;
        }
        ByteOutput out = backend.startValue(column, 0);
        appendElement(out, value);
        backend.merge(column, out);
    }

    @Override
    public void addAll(List<T> values) {
        if (values.isEmpty()) {
            return;
        }
        if (column.timeToLive) {
            List<T> all = backend.read(column, true) ? decode(backend.readInput()) : new ArrayList<>();
            all.addAll(values);
            write(all);
            return;
        }
        ByteOutput out = backend.startValue(column, 0);
        appendElements(out, values);
        backend.merge(column, out);
    }

    @Override
    public void update(List<T> values) {
        if (values.isEmpty()) {
            backend.delete(column);
        } else {
            write(values);
        }
    }

    private void write(List<T> values) {
        ByteOutput out = backend.startValue(column, backend.now());
        appendElements(out, values);
        backend.put(column, out);
    }

    private void appendElements(ByteOutput out, List<T> values) {
        for (T value : values) {
            appendElement(out, value);
        }
    }

    private void appendElement(ByteOutput out, T value) {
        try {
            if (value == null) {
                out.writeByte(0);
            } else {
                out.writeByte(1);
                column.serializer.serialize(value, out.data());
            }
        } catch (IOException e) {
            throw backend.failure(column, "encode", e);
        }
    }

    @Override
    public void clear() {
        backend.delete(column);
    }
}
