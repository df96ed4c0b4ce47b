package io.runnel.api.stream;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration keys a job understands, as given with {@code ./runnel run ... -p KEY=VALUE}, to
 * {@code runnel:run} or to {@link StreamEnvironment#configure}. Keys starting with one of
 * {@link #PREFIXES} belong to Runnel and are never passed to a job's own parameters; an unknown key
 * under one of these prefixes is refused, so a typo does not silently turn a feature off.
 *
 * <p>Durations are written as a number with a unit ({@code 500ms}, {@code 10s}, {@code 2min},
 * {@code 1h}, {@code 1d}), as ISO-8601 ({@code PT10S}), or as a bare number of milliseconds.
 */
public final class ExecutionOptions {

    /** Interval of periodic checkpoints; {@code off} (the default) or 0 turns them off. */
    public static final String CHECKPOINTING_INTERVAL = "execution.checkpointing.interval";
    /** {@code EXACTLY_ONCE} (default) or {@code AT_LEAST_ONCE}. */
    public static final String CHECKPOINTING_MODE = "execution.checkpointing.mode";
    /** How long a checkpoint may take before it is declared failed (default 10min). */
    public static final String CHECKPOINTING_TIMEOUT = "execution.checkpointing.timeout";
    /** Least time between the end of one checkpoint and the start of the next (default 0). */
    public static final String CHECKPOINTING_MIN_PAUSE = "execution.checkpointing.min-pause";
    /** Checkpoints that may be in progress at once (default 1). */
    public static final String CHECKPOINTING_MAX_CONCURRENT = "execution.checkpointing.max-concurrent-checkpoints";
    /** Failed checkpoints in a row the job tolerates before it fails and restarts (default 0). */
    public static final String CHECKPOINTING_TOLERABLE_FAILURES = "execution.checkpointing.tolerable-failed-checkpoints";
    /** {@code true} for unaligned checkpoints, which save in-flight records instead of waiting (default false). */
    public static final String CHECKPOINTING_UNALIGNED = "execution.checkpointing.unaligned";
    /** {@code true} keeps the retained checkpoints when the job is cancelled (default false: deleted). */
    public static final String CHECKPOINTING_RETAIN_ON_CANCEL = "execution.checkpointing.retain-on-cancel";
    /** Directory under which each job's checkpoints are kept (default: the node's data directory). */
    public static final String CHECKPOINTS_DIRECTORY = "state.checkpoints.dir";
    /** Completed checkpoints kept per job; older ones are deleted (default 1). */
    public static final String CHECKPOINTS_NUM_RETAINED = "state.checkpoints.num-retained";
    /** Directory where savepoints go when none is given with the request. */
    public static final String SAVEPOINTS_DIRECTORY = "state.savepoints.dir";
    /** A savepoint or retained checkpoint to start the job from. */
    public static final String SAVEPOINT_PATH = "execution.savepoint.path";
    /** {@code true} starts the job even if the savepoint has state for an operator uid the job lacks. */
    public static final String SAVEPOINT_IGNORE_UNCLAIMED_STATE = "execution.savepoint.ignore-unclaimed-state";
    /** {@code none}, {@code fixed-delay}, {@code exponential-delay} or {@code failure-rate}. */
    public static final String RESTART_STRATEGY = "restart-strategy.type";
    public static final String FIXED_DELAY_ATTEMPTS = "restart-strategy.fixed-delay.attempts";
    public static final String FIXED_DELAY_DELAY = "restart-strategy.fixed-delay.delay";
    public static final String EXPONENTIAL_INITIAL_BACKOFF = "restart-strategy.exponential-delay.initial-backoff";
    public static final String EXPONENTIAL_MAX_BACKOFF = "restart-strategy.exponential-delay.max-backoff";
    public static final String EXPONENTIAL_MULTIPLIER = "restart-strategy.exponential-delay.backoff-multiplier";
    public static final String EXPONENTIAL_RESET_THRESHOLD = "restart-strategy.exponential-delay.reset-backoff-threshold";
    public static final String EXPONENTIAL_ATTEMPTS = "restart-strategy.exponential-delay.attempts";
    public static final String FAILURE_RATE_MAX_FAILURES = "restart-strategy.failure-rate.max-failures-per-interval";
    public static final String FAILURE_RATE_INTERVAL = "restart-strategy.failure-rate.failure-rate-interval";
    public static final String FAILURE_RATE_DELAY = "restart-strategy.failure-rate.delay";

    /** The state backend of the job, by its service name; default: the node's, else {@code heap}. */
    public static final String STATE_BACKEND_TYPE = "state.backend.type";
    /** Prefix of a state backend's own options: {@code state.backend.<name>.<option>}. */
    public static final String STATE_BACKEND_PREFIX = "state.backend.";

    /** Key prefixes reserved for Runnel's own options. */
    public static final List<String> PREFIXES = List.of("execution.", "state.", "restart-strategy.");

    static final List<String> CHECKPOINT_KEYS = List.of(CHECKPOINTING_INTERVAL, CHECKPOINTING_MODE,
            CHECKPOINTING_TIMEOUT, CHECKPOINTING_MIN_PAUSE, CHECKPOINTING_MAX_CONCURRENT,
            CHECKPOINTING_TOLERABLE_FAILURES, CHECKPOINTING_UNALIGNED, CHECKPOINTING_RETAIN_ON_CANCEL,
            CHECKPOINTS_DIRECTORY, CHECKPOINTS_NUM_RETAINED, SAVEPOINTS_DIRECTORY);
    static final List<String> RESTART_KEYS = List.of(RESTART_STRATEGY, FIXED_DELAY_ATTEMPTS, FIXED_DELAY_DELAY,
            EXPONENTIAL_INITIAL_BACKOFF, EXPONENTIAL_MAX_BACKOFF, EXPONENTIAL_MULTIPLIER, EXPONENTIAL_RESET_THRESHOLD,
            EXPONENTIAL_ATTEMPTS, FAILURE_RATE_MAX_FAILURES, FAILURE_RATE_INTERVAL, FAILURE_RATE_DELAY);
    static final List<String> SAVEPOINT_KEYS = List.of(SAVEPOINT_PATH, SAVEPOINT_IGNORE_UNCLAIMED_STATE);

    private ExecutionOptions() {}

    /** Whether {@code key} is reserved for Runnel's options rather than a job parameter. */
    public static boolean isExecutionOption(String key) {
        return PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** Every key this version of Runnel understands. */
    public static List<String> knownKeys() {
        java.util.List<String> all = new java.util.ArrayList<>(CHECKPOINT_KEYS);
        all.addAll(RESTART_KEYS);
        all.addAll(SAVEPOINT_KEYS);
        all.add(STATE_BACKEND_TYPE);
        return List.copyOf(all);
    }

    /**
     * Refuses reserved keys this version does not know.
     *
     * @throws IllegalArgumentException naming the key and listing the known ones
     */
    static void checkKnown(Map<String, String> settings) {
        List<String> known = knownKeys();
        for (String key : settings.keySet()) {
            if (isExecutionOption(key) && !known.contains(key) && !isStateBackendOption(key)) {
                throw new IllegalArgumentException("Unknown option '" + key + "'. Known options: " + known);
            }
        }
    }

    /** Whether {@code key} has the shape of a backend option, {@code state.backend.<name>.<option>}. */
    static boolean isStateBackendOption(String key) {
        if (!key.startsWith(STATE_BACKEND_PREFIX) || key.equals(STATE_BACKEND_TYPE)) {
            return false;
        }
        String rest = key.substring(STATE_BACKEND_PREFIX.length());
        int dot = rest.indexOf('.');
        return dot > 0 && dot < rest.length() - 1;
    }

    /**
     * The state backend options among {@code settings}, by backend name, each without its
     * {@code state.backend.<name>.} prefix; whether a backend knows them is its own business, checked
     * when the job is submitted.
     */
    public static Map<String, Map<String, String>> stateBackendOptions(Map<String, String> settings) {
        Map<String, Map<String, String>> byBackend = new java.util.TreeMap<>();
        settings.forEach((key, value) -> {
            if (isStateBackendOption(key)) {
                String rest = key.substring(STATE_BACKEND_PREFIX.length());
                int dot = rest.indexOf('.');
                byBackend.computeIfAbsent(rest.substring(0, dot), name -> new java.util.TreeMap<>())
                        .put(rest.substring(dot + 1), value);
            }
        });
        return byBackend;
    }

    /**
     * Parses a duration option.
     *
     * @throws IllegalArgumentException naming the key and the value
     */
    public static Duration parseDuration(String key, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return nonNegative(key, value, Duration.parse(text.toUpperCase(Locale.ROOT)));
            }
            int unitStart = 0;
            while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
                unitStart++;
            }
            if (unitStart == 0) {
                throw new NumberFormatException();
            }
            long amount = Long.parseLong(text.substring(0, unitStart));
            String unit = text.substring(unitStart).trim();
            return switch (unit) {
                case "", "ms", "milli", "millis" -> Duration.ofMillis(amount);
                case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(amount);
                case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(amount);
                case "h", "hour", "hours" -> Duration.ofHours(amount);
                case "d", "day", "days" -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a duration; write e.g. 500ms, 10s, 2min, 1h or PT10S");
        }
    }

    private static Duration nonNegative(String key, String value, Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(key + ": '" + value + "' is negative");
        }
        return duration;
    }

    static int parseInt(String key, String value, int min) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number of at least " + min);
    }

    static boolean parseBoolean(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + value + "' is neither true nor false");
        };
    }

    static double parseDouble(String key, String value, double min) {
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed >= min && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not a number of at least " + min);
    }
}
