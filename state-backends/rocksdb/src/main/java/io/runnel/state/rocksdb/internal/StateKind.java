package io.runnel.state.rocksdb.internal;

import io.runnel.api.state.AggregatingStateDescriptor;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReducingStateDescriptor;
import io.runnel.api.state.StateDescriptor;

/** The kinds of keyed state, by the descriptor that asks for them; stored in metadata by {@link #code}. */
enum StateKind {
    VALUE(1), LIST(2), MAP(3), REDUCING(4), AGGREGATING(5);

    final int code;

    StateKind(int code) {
        this.code = code;
    }

    static StateKind of(StateDescriptor<?> descriptor) {
        if (descriptor instanceof ListStateDescriptor<?>) {
            return LIST;
        } else if (descriptor instanceof MapStateDescriptor<?, ?>) {
            return MAP;
        } else if (descriptor instanceof ReducingStateDescriptor<?>) {
            return REDUCING;
        } else if (descriptor instanceof AggregatingStateDescriptor<?, ?, ?>) {
            return AGGREGATING;
        }
        return VALUE;
    }

    static StateKind ofCode(int code) {
        for (StateKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown state kind " + code + " in RocksDB metadata: the state was written by a "
                + "newer Runnel");
    }
}
