package io.runnel.examples.internal;

/**
 * One click of the demo clickstream.
 *
 * @param time event time, milliseconds from the start of the stream
 * @param user who clicked
 * @param page where
 * @param action {@code view}, {@code click} or {@code bot}
 */
public record Click(long time, String user, String page, String action) {

    /**
     * Parses a {@code time,user,page,action} log line.
     *
     * @throws IllegalArgumentException naming the line, if it is not of that form
     */
    public static Click parse(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("A click line has 4 comma-separated fields, but got '" + line + "'");
        }
        try {
            return new Click(Long.parseLong(fields[0]), fields[1], fields[2], fields[3]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A click line starts with its time in ms, but got '" + line + "'", e);
        }
    }

    public boolean isBot() {
        return action.equals("bot");
    }
}
