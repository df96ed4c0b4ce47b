package io.runnel.runtime.internal.checkpoint;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The threads checkpointing runs on: daemon threads named after the job and what they do, so a stuck
 * checkpoint never holds the JVM and shows up by name in a thread dump.
 */
final class CheckpointThreads {

    private CheckpointThreads() {}

    /** {@code count} threads for {@code role} (writing state files, writing metadata). */
    static ExecutorService pool(String jobName, int count, String role) {
        return Executors.newFixedThreadPool(count, runnable -> daemon(runnable, jobName, role));
    }

    /** One thread for periodic triggers and timeouts. */
    static ScheduledExecutorService timer(String jobName) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, jobName, "checkpoint timer"));
    }

    /** Lets what {@code pool} runs finish, for up to 10 s. */
    static void stop(ExecutorService pool) {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String jobName, String role) {
        Thread thread = new Thread(runnable, "runnel " + jobName + " " + role);
        thread.setDaemon(true);
        return thread;
    }
}
