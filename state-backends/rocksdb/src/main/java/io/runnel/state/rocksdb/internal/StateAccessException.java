package io.runnel.state.rocksdb.internal;

/** RocksDB or a serializer failed while reading or writing a state; the message names the state. */
public final class StateAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StateAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
