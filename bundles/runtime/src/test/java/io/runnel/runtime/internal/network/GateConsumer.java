package io.runnel.runtime.internal.network;

import io.runnel.runtime.internal.task.Buffer;
import io.runnel.runtime.internal.task.GateReader;
import io.runnel.runtime.internal.task.InputGate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A consumer task in a test: a thread that reads an input gate until it ends or fails and writes
 * down what it saw ("record@timestamp", "watermark N", "idle", "active"). Reading can be held back
 * with {@link #hold()} to build up backpressure.
 */
final class GateConsumer implements AutoCloseable {

    private final InputGate gate;
    private final Thread thread;
    private final List<String> seen = new ArrayList<>();
    private final List<Object> records = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean holding;
    private volatile Throwable failure;
    private volatile long buffersTaken;

    GateConsumer(String name, InputGate gate) {
        this.gate = gate;
        this.thread = new Thread(this::run, "consumer " + name);
    }

    GateConsumer start() {
        thread.start();
        return this;
    }

    /** Until {@link #release()}, the consumer takes nothing; call before {@link #start()}. */
    GateConsumer hold() {
        holding = true;
        return this;
    }

    void release() {
        released.countDown();
    }

    private void run() {
        try {
            if (holding) {
                released.await();
            }
            Buffer buffer;
            while ((buffer = GateReader.next(gate)) != null) {
                buffersTaken++;
                synchronized (this) {
                    switch (buffer.kind()) {
                        case DATA -> {
                            for (int i = 0; i < buffer.size(); i++) {
                                records.add(buffer.record(i));
                                seen.add(buffer.record(i) + "@" + buffer.timestamp(i));
                            }
                        }
                        case WATERMARK -> seen.add("watermark " + buffer.watermark());
                        case IDLE -> seen.add("idle");
                        case ACTIVE -> seen.add("active");
                        case END_OF_PARTITION -> seen.add("end");
                    }
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Waits until the gate ended or failed. */
    GateConsumer join(long seconds) throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(seconds));
        if (thread.isAlive()) {
            throw new AssertionError(thread.getName() + " did not end within " + seconds + " s; saw "
                    + records().size() + " records");
        }
        return this;
    }

    synchronized List<String> seen() {
        return new ArrayList<>(seen);
    }

    synchronized List<Object> records() {
        return new ArrayList<>(records);
    }

    long buffersTaken() {
        return buffersTaken;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        released.countDown();
        thread.interrupt();
        thread.join(5_000);
    }
}
