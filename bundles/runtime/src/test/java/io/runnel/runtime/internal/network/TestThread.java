package io.runnel.runtime.internal.network;

import java.util.concurrent.TimeUnit;

/** A producer task in a test: runs a body on its own thread and keeps what it threw. */
final class TestThread implements AutoCloseable {

    /** The body; may throw anything. */
    interface Body {
        void run() throws Exception;
    }

    private final Thread thread;
    private volatile Throwable failure;

    TestThread(String name, Body body) {
        this.thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure = e;
            }
        }, name);
    }

    static TestThread start(String name, Body body) {
        TestThread started = new TestThread(name, body);
        started.thread.start();
        return started;
    }

    /** Waits for the body to end and rethrows what it threw. */
    void joinAndCheck(long seconds) throws Exception {
        join(seconds);
        if (failure != null) {
            throw new AssertionError(thread.getName() + " failed: " + failure, failure);
        }
    }

    /** Waits for the body to end; fails if it does not within {@code seconds}. */
    TestThread join(long seconds) throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(seconds));
        if (thread.isAlive()) {
            throw new AssertionError(thread.getName() + " did not end within " + seconds + " s");
        }
        return this;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    Thread.State state() {
        return thread.getState();
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5_000);
    }
}
