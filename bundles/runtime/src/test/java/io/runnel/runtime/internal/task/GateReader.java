package io.runnel.runtime.internal.task;

/**
 * Reads an {@link InputGate} the way a task's loop does, for tests in other packages (the network
 * tests feed gates from another "TaskManager" and check what a consumer task would see).
 */
public final class GateReader {

    private GateReader() {}

    /**
     * The next data buffer or merged input event, waiting for it; null once every channel ended.
     *
     * @throws InputFailureException if the gate was failed
     */
    public static Buffer next(InputGate gate) throws Exception {
        return gate.next(() -> {}, () -> Long.MAX_VALUE);
    }
}
