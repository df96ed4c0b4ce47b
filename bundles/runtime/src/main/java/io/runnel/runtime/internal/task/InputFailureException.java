package io.runnel.runtime.internal.task;

/**
 * Thrown on the consumer's task thread when its input was failed from elsewhere (see
 * {@link InputGate#fail}), for example because the connection to a remote producer broke. The cause
 * says what went wrong; this exception only carries it onto the task's own stack.
 */
public final class InputFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InputFailureException(Throwable cause) {
        super(String.valueOf(cause.getMessage()), cause);
    }
}
