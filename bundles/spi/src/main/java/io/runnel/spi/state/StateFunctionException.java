package io.runnel.spi.state;

/** A function given to a state descriptor threw; the operator wraps this with its own name. */
public final class StateFunctionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StateFunctionException(String what, Throwable cause) {
        super(what + " failed: " + cause, cause);
    }
}
