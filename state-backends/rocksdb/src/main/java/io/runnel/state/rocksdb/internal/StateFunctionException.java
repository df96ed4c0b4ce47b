package io.runnel.state.rocksdb.internal;

/** A user function called by a state (a reduce function) failed; the message says which. */
final class StateFunctionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StateFunctionException(String what, Exception cause) {
        super(what + " failed: " + cause.getMessage(), cause);
    }
}
