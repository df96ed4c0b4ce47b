package io.runnel.examples.internal;

/**
 * How many clicks a user made in a window.
 *
 * @param kind {@code clicks} for tumbling windows, {@code session} for sessions
 * @param user the user
 * @param start window start, ms
 * @param end window end, ms (exclusive)
 * @param clicks clicks in the window
 */
public record UserActivity(String kind, String user, long start, long end, long clicks) {

    @Override
    public String toString() {
        return String.format("%-7s %-8s [%s, %s) %d", kind, user, clock(start), clock(end), clicks);
    }

    /** m:ss.SSS from the start of the stream. */
    static String clock(long millis) {
        return String.format("%d:%02d.%03d", millis / 60_000, millis / 1000 % 60, millis % 1000);
    }
}
