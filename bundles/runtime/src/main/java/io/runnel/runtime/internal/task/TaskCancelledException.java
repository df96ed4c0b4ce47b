package io.runnel.runtime.internal.task;

/** Unwinds a task's stack when the task is cancelled while it waits (for a full channel, say). */
public final class TaskCancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskCancelledException() {
        super("task cancelled", null, false, false);
    }
}
