package io.runnel.cluster.hazelcast.internal;

import io.runnel.spi.cluster.Registration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which this bundle talks to SPI listeners and does its periodic housekeeping.
 * Hazelcast's own event threads only hand work over to it, so a slow listener never stalls
 * Hazelcast, and listeners see changes in the order they were observed.
 */
final class ListenerDispatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatch.class);

    private final ScheduledExecutorService thread;

    ListenerDispatch(String name) {
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on the dispatch thread; a failure is logged, never thrown at the caller. */
    void submit(String what, Runnable task) {
        if (thread.isShutdown()) {
            return;
        }
        thread.execute(() -> runLogged(what, task));
    }

    /** Runs {@code task} on the dispatch thread every {@code periodMillis} from now on. */
    void every(long periodMillis, String what, Runnable task) {
        thread.scheduleWithFixedDelay(() -> runLogged(what, task), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** A list of listeners whose registrations remove them again. */
    <L> Listeners<L> newListeners() {
        return new Listeners<>();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runLogged(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            if (thread.isShutdown()) {
                // close() interrupts a step in flight when the node stops; nothing is retried then.
                LOG.debug("Cluster housekeeping step '{}' stopped by shutdown: {}", what, e.toString());
                return;
            }
            LOG.warn("Cluster housekeeping step '{}' failed; it is retried on the next change or tick", what, e);
        }
    }

    /** Listeners of one kind. Iteration works on a snapshot, so listeners may unregister while called. */
    static final class Listeners<L> {
        private final List<L> listeners = new CopyOnWriteArrayList<>();

        Registration add(L listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        void forEach(String what, Consumer<L> call) {
            for (L listener : listeners) {
                try {
                    call.accept(listener);
                } catch (RuntimeException e) {
                    LOG.warn("A cluster listener ({}) failed on '{}'", listener.getClass().getName(), what, e);
                }
            }
        }
    }
}
