package io.runnel.runtime.internal.task;

/** A task failed outside user functions (a connector, the runtime itself); names the task. */
public final class TaskFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskFailureException(String taskDescription, Throwable cause) {
        super("Task " + taskDescription + " failed: " + cause, cause);
    }
}
