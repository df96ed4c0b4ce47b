package io.runnel.runtime.internal.task;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Work that other threads hand to a task (a checkpoint trigger, a checkpoint's completion), run on
 * the task's thread between records in the order it came, so operators never see two threads.
 *
 * <p>The mailbox also carries the task's "work waiting" flag: {@link #wake} sets it (for mail, and
 * for a barrier that overtook the task's input, which the input gate holds rather than the
 * mailbox) and unparks the task thread; the task reads it before every record
 * ({@link #hasWork}), and {@link #processMail} clears it.
 *
 * <p>Thread safety: {@link #send} and {@link #wake} from any thread; everything else on the task
 * thread, which {@link #bindToCurrentThread binds} itself before it runs any mail.
 */
final class TaskMailbox {

    /** Work for the task thread. */
    @FunctionalInterface
    interface Mail {
        void run() throws Exception;
    }

    private final ConcurrentLinkedQueue<Mail> mails = new ConcurrentLinkedQueue<>();
    /** Set when mail, or a barrier that overtook the input, waits for the task thread. */
    private volatile boolean workWaiting;
    private volatile Thread taskThread;

    /** Makes the calling thread the one that runs the mail and that {@link #wake} unparks. */
    void bindToCurrentThread() {
        taskThread = Thread.currentThread();
    }

    /** The thread bound with {@link #bindToCurrentThread}, or null before the task runs. */
    Thread taskThread() {
        return taskThread;
    }

    /** Hands {@code mail} to the task thread and wakes it; any thread. */
    void send(Mail mail) {
        mails.add(mail);
        wake();
    }

    /** Tells the task thread that work waits for it and unparks it if it waits; any thread. */
    void wake() {
        workWaiting = true;
        Thread current = taskThread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** Whether work waits for the task thread; one volatile read, cheap enough for every record. */
    boolean hasWork() {
        return workWaiting;
    }

    /** Runs every mail sent so far, in order; on the task thread. A failing mail stops the rest. */
    void processMail() throws Exception {
        workWaiting = false;
        Mail mail;
        while ((mail = mails.poll()) != null) {
            mail.run();
        }
    }
}
