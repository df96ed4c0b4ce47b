package io.runnel.runtime.internal.checkpoint;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The threads of a checkpoint coordinator: one timer (periodic triggers and timeouts) and a pool of
 * I/O threads (state files, metadata). Daemon threads named after the job, so a stuck coordinator
 * never holds the JVM and shows up by name in a thread dump.
 */
final class CoordinatorThreads {

    final ScheduledExecutorService timer;
    final ExecutorService io;

    /** @param ioRole what the I/O threads do, for their names */
    CoordinatorThreads(String jobName, int ioThreads, String ioRole) {
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, jobName, "checkpoint timer"));
        this.io = Executors.newFixedThreadPool(ioThreads, runnable -> daemon(runnable, jobName, ioRole));
    }

    private static Thread daemon(Runnable runnable, String jobName, String role) {
        Thread thread = new Thread(runnable, "runnel " + jobName + " " + role);
        thread.setDaemon(true);
        return thread;
    }

    /** Stops the timer at once and lets the I/O threads finish what they do, for up to 10 s. */
    void stop() {
        timer.shutdownNow();
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
