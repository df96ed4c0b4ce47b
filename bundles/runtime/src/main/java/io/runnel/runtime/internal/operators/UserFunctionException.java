package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.task.TaskCancelledException;

/** A user function threw; the message names the operator and subtask, the cause is the user's exception. */
public final class UserFunctionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UserFunctionException(String operatorDescription, Throwable cause) {
        super("Operator " + operatorDescription + " failed: " + cause, cause);
    }

    /**
     * What an operator throws when a call into user code failed with {@code failure}. A user function
     * that emits runs the rest of the chain inside its call, so the failure may already be a
     * {@code UserFunctionException} naming an operator further down, or the task's cancellation
     * unwinding the stack: those pass unchanged. Anything else is wrapped, naming this operator.
     *
     * @param operatorDescription the operator, and what of it was running, e.g. {@code 'name' (1/2) (onTimer)}
     */
    static RuntimeException wrap(String operatorDescription, Exception failure) {
        if (failure instanceof UserFunctionException || failure instanceof TaskCancelledException) {
            return (RuntimeException) failure;
        }
        return new UserFunctionException(operatorDescription, failure);
    }
}
