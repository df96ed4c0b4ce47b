package io.runnel.api.stream;

/** A job could not start; the message says what is wrong with it and what to do. Nothing ran. */
public class JobSubmissionException extends Exception {

    private static final long serialVersionUID = 1L;

    public JobSubmissionException(String message) {
        super(message);
    }

    public JobSubmissionException(String message, Throwable cause) {
        super(message, cause);
    }
}
