package io.runnel.runtime.internal.operators;

/** A user function threw; the message names the operator and subtask, the cause is the user's exception. */
public final class UserFunctionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UserFunctionException(String operatorDescription, Throwable cause) {
        super("Operator " + operatorDescription + " failed: " + cause, cause);
    }
}
