package io.runnel.api.stream;

import static io.runnel.api.stream.ExecutionOptions.*;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What a job does when one of its tasks fails: fail for good, or restart every task from the latest
 * completed checkpoint (or from the start, if it has none) after a delay. Immutable.
 *
 * <p>When a job sets none, a job with checkpoints on restarts with {@link #exponentialDelay}'s
 * defaults and a job without checkpoints does not restart.
 */
public final class RestartStrategy {

    /** The kinds of strategy, named as in {@link ExecutionOptions#RESTART_STRATEGY}. */
    public enum Kind {
        NONE("none"), FIXED_DELAY("fixed-delay"), EXPONENTIAL_DELAY("exponential-delay"), FAILURE_RATE("failure-rate");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    private final Kind kind;
    private final int attempts;
    private final Duration delay;
    private final Duration maxDelay;
    private final double multiplier;
    private final Duration resetThreshold;
    private final Duration interval;

    private RestartStrategy(Kind kind, int attempts, Duration delay, Duration maxDelay, double multiplier,
            Duration resetThreshold, Duration interval) {
        this.kind = kind;
        this.attempts = attempts;
        this.delay = delay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.resetThreshold = resetThreshold;
        this.interval = interval;
    }

    /** The job fails with its first task failure. */
    public static RestartStrategy none() {
        return new RestartStrategy(Kind.NONE, 0, Duration.ZERO, Duration.ZERO, 1, Duration.ZERO, Duration.ZERO);
    }

    /** Restarts up to {@code attempts} times, waiting {@code delay} before each restart. */
    public static RestartStrategy fixedDelay(int attempts, Duration delay) {
        requireAtLeast("attempts", attempts, 1);
        requireNotNegative("delay", delay);
        return new RestartStrategy(Kind.FIXED_DELAY, attempts, delay, delay, 1, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Restarts without a limit, waiting 1 s before the first restart and 1.5 times longer before each
     * further one, up to 1 min; a job that ran 1 h without failing starts over at 1 s.
     */
    public static RestartStrategy exponentialDelay() {
        return exponentialDelay(Duration.ofSeconds(1), Duration.ofMinutes(1), 1.5, Duration.ofHours(1), Integer.MAX_VALUE);
    }

    /**
     * Restarts waiting {@code initial} before the first restart and {@code multiplier} times longer
     * before each further one, up to {@code max}. After running {@code resetThreshold} without a
     * failure the delay starts over at {@code initial}, and so does the count of attempts.
     */
    public static RestartStrategy exponentialDelay(Duration initial, Duration max, double multiplier,
            Duration resetThreshold, int attempts) {
        requireNotNegative("initial backoff", initial);
        requireNotNegative("reset threshold", resetThreshold);
        requireAtLeast("attempts", attempts, 1);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("The maximum backoff " + max + " is below the initial backoff " + initial);
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("The backoff multiplier must be at least 1, but got " + multiplier);
        }
        return new RestartStrategy(Kind.EXPONENTIAL_DELAY, attempts, initial, max, multiplier, resetThreshold, Duration.ZERO);
    }

    /**
     * Restarts after {@code delay} unless this failure is more than {@code maxFailures} within the
     * last {@code interval}: at most {@code maxFailures} restarts per interval.
     */
    public static RestartStrategy failureRate(int maxFailures, Duration interval, Duration delay) {
        requireAtLeast("max failures per interval", maxFailures, 1);
        requireNotNegative("delay", delay);
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("The failure rate interval must be at least 1 ms, but got " + interval);
        }
        return new RestartStrategy(Kind.FAILURE_RATE, maxFailures, delay, delay, 1, Duration.ZERO, interval);
    }

    /**
     * The strategy the restart options among {@code settings} describe, or null if they name none.
     * Options of a kind other than the one chosen are refused, since they would have no effect.
     *
     * @throws IllegalArgumentException naming the key and value that are wrong
     */
    public static RestartStrategy fromSettings(Map<String, String> settings) {
        String type = settings.get(RESTART_STRATEGY);
        if (type == null) {
            for (String key : settings.keySet()) {
                if (key.startsWith("restart-strategy.")) {
                    throw new IllegalArgumentException(key + " is set, but " + RESTART_STRATEGY + " is not; set it to "
                            + "the kind of strategy the option belongs to");
                }
            }
            return null;
        }
        Kind kind = null;
        for (Kind candidate : Kind.values()) {
            if (candidate.configName.equals(type.trim().toLowerCase(Locale.ROOT))) {
                kind = candidate;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException(RESTART_STRATEGY + ": '" + type
                    + "' is not a restart strategy; use none, fixed-delay, exponential-delay or failure-rate");
        }
        String prefix = "restart-strategy." + kind.configName + ".";
        for (String key : settings.keySet()) {
            if (key.startsWith("restart-strategy.") && !key.equals(RESTART_STRATEGY) && !key.startsWith(prefix)) {
                throw new IllegalArgumentException(key + " does not apply to " + RESTART_STRATEGY + "=" + kind.configName);
            }
        }
        RestartStrategy defaults = exponentialDelay();
        return switch (kind) {
            case NONE -> none();
            case FIXED_DELAY -> fixedDelay(intOr(settings, FIXED_DELAY_ATTEMPTS, 1, 3),
                    durationOr(settings, FIXED_DELAY_DELAY, Duration.ofSeconds(1)));
            case EXPONENTIAL_DELAY -> exponentialDelay(durationOr(settings, EXPONENTIAL_INITIAL_BACKOFF, defaults.delay),
                    durationOr(settings, EXPONENTIAL_MAX_BACKOFF, defaults.maxDelay),
                    settings.containsKey(EXPONENTIAL_MULTIPLIER)
                            ? parseDouble(EXPONENTIAL_MULTIPLIER, settings.get(EXPONENTIAL_MULTIPLIER), 1) : defaults.multiplier,
                    durationOr(settings, EXPONENTIAL_RESET_THRESHOLD, defaults.resetThreshold),
                    intOr(settings, EXPONENTIAL_ATTEMPTS, 1, Integer.MAX_VALUE));
            case FAILURE_RATE -> failureRate(intOr(settings, FAILURE_RATE_MAX_FAILURES, 1, 1),
                    durationOr(settings, FAILURE_RATE_INTERVAL, Duration.ofMinutes(1)),
                    durationOr(settings, FAILURE_RATE_DELAY, Duration.ofSeconds(1)));
        };
    }

    private static int intOr(Map<String, String> settings, String key, int min, int fallback) {
        String value = settings.get(key);
        return value == null ? fallback : parseInt(key, value, min);
    }

    private static Duration durationOr(Map<String, String> settings, String key, Duration fallback) {
        String value = settings.get(key);
        return value == null ? fallback : parseDuration(key, value);
    }

    private static void requireAtLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("Restart strategy " + what + " must be at least " + min + ", but got " + value);
        }
    }

    private static void requireNotNegative(String what, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("Restart strategy " + what + " must not be negative, but got " + value);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** Fixed delay and exponential delay: how many restarts; failure rate: failures allowed per interval. */
    public int attempts() {
        return attempts;
    }

    /** The delay before a restart; for exponential delay, before the first one. */
    public Duration delay() {
        return delay;
    }

    /** Exponential delay: the longest delay. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** Exponential delay: the factor between consecutive delays. */
    public double multiplier() {
        return multiplier;
    }

    /** Exponential delay: failure-free running time after which the delay starts over. */
    public Duration resetThreshold() {
        return resetThreshold;
    }

    /** Failure rate: the window in which failures are counted. */
    public Duration interval() {
        return interval;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "no restarts";
            case FIXED_DELAY -> attempts + " restart(s), " + delay.toMillis() + " ms apart";
            case EXPONENTIAL_DELAY -> "restarts after " + delay.toMillis() + " ms growing x" + multiplier + " up to "
                    + maxDelay.toMillis() + " ms" + (attempts == Integer.MAX_VALUE ? "" : ", at most " + attempts);
            case FAILURE_RATE -> "restarts after " + delay.toMillis() + " ms while under " + attempts + " failure(s) per "
                    + interval.toMillis() + " ms";
        };
    }
}
