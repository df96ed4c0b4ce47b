package io.runnel.runtime.internal.execution;

import io.runnel.api.stream.RestartStrategy;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Applies a {@link RestartStrategy} to one job's failures: each failure either gets the delay to
 * wait before restarting, or is the one that makes the job fail for good. Used by one thread at a
 * time (the job's failure handling).
 */
final class RestartBackoff {

    private final RestartStrategy strategy;
    private final Deque<Long> recentFailures = new ArrayDeque<>();
    private int restarts;
    private long nextExponentialDelay;

    RestartBackoff(RestartStrategy strategy) {
        this.strategy = strategy;
        this.nextExponentialDelay = strategy.delay().toMillis();
    }

    RestartStrategy strategy() {
        return strategy;
    }

    /** How many restarts were granted so far. */
    int restarts() {
        return restarts;
    }

    /**
     * A failure happened at {@code nowMillis}, after the job had run since {@code runningSinceMillis}.
     *
     * @return the delay in milliseconds before restarting, or -1 if the job must fail
     */
    long onFailure(long nowMillis, long runningSinceMillis) {
        long delay;
        switch (strategy.kind()) {
            case NONE -> delay = -1;
            case FIXED_DELAY -> delay = restarts < strategy.attempts() ? strategy.delay().toMillis() : -1;
            case EXPONENTIAL_DELAY -> {
                if (nowMillis - runningSinceMillis >= strategy.resetThreshold().toMillis()) {
                    nextExponentialDelay = strategy.delay().toMillis();
                    restarts = 0;
                }
                if (restarts >= strategy.attempts()) {
                    delay = -1;
                } else {
                    delay = nextExponentialDelay;
                    nextExponentialDelay = (long) Math.min(strategy.maxDelay().toMillis(),
                            Math.max(1, nextExponentialDelay) * strategy.multiplier());
                }
            }
            case FAILURE_RATE -> {
                long windowStart = nowMillis - strategy.interval().toMillis();
                while (!recentFailures.isEmpty() && recentFailures.peekFirst() <= windowStart) {
                    recentFailures.removeFirst();
                }
                recentFailures.addLast(nowMillis);
                delay = recentFailures.size() > strategy.attempts() ? -1 : strategy.delay().toMillis();
            }
            default -> throw new IllegalStateException("unknown restart strategy " + strategy.kind());
        }
        if (delay >= 0) {
            restarts++;
        }
        return delay;
    }
}
