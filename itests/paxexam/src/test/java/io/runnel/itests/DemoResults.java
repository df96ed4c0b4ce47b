package io.runnel.itests;

import io.runnel.examples.internal.Click;
import io.runnel.examples.internal.ClickLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the clickstream demo must produce for its first {@code events} clicks, computed plainly from
 * the same click log, and readers for what it printed and wrote.
 */
final class DemoResults {

    private static final long SESSION_GAP = 30_000;

    /** Clicks per user and 10-second window, bots dropped. */
    final Map<String, Long> tumbling = new TreeMap<>();
    /** Clicks per user and session start (30 s of inactivity ends a session), bots dropped. */
    final Map<String, Long> sessions = new HashMap<>();

    DemoResults(int events) {
        Map<String, List<Long>> timesByUser = new TreeMap<>();
        for (long c = 0; c < events; c++) {
            Click click = Click.parse(ClickLog.line(c));
            if (!click.isBot()) {
                tumbling.merge(click.user() + " " + click.time() / 10_000, 1L, Long::sum);
                timesByUser.computeIfAbsent(click.user(), u -> new ArrayList<>()).add(click.time());
            }
        }
        timesByUser.forEach((user, times) -> {
            times.sort(Long::compare);
            long start = times.get(0);
            long end = start + SESSION_GAP;
            long count = 0;
            for (long time : times) {
                if (time > end) {
                    sessions.put(user + " " + start, count);
                    start = time;
                    count = 0;
                }
                end = Math.max(end, time + SESSION_GAP);
                count++;
            }
            sessions.put(user + " " + start, count);
        });
    }

    long totalClicks() {
        return tumbling.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The tumbling-window lines a node printed ({@code clicks ...}, subtask prefixes removed). */
    static List<String> printedWindows(String output) {
        return output.lines().map(line -> line.replaceFirst("^\\d+> ", "")).filter(line -> line.startsWith("clicks "))
                .toList();
    }

    /**
     * The sessions written to the committed part files in {@code directory}, as user and start to
     * count. A session written twice (a repeated commit) fails instead of hiding in the map.
     */
    static Map<String, Long> writtenSessions(Path directory) throws IOException {
        Map<String, Long> written = new HashMap<>();
        for (String line : committedLines(directory)) {
            String[] words = line.trim().split("\\s+");
            String session = words[1] + " " + parseClock(words[2].substring(1, words[2].length() - 1));
            if (written.put(session, lastNumber(line)) != null) {
                throw new AssertionError("session " + session + " written twice to " + directory);
            }
        }
        return written;
    }

    /**
     * The lines of the file sink's committed part files ({@code part-<subtask>-<n>.txt}) in
     * {@code directory}; hidden in-progress or pending files are not output yet and are left out.
     */
    static List<String> committedLines(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                if (file.getFileName().toString().matches("part-\\d+-\\d+\\.txt")) {
                    lines.addAll(Files.readAllLines(file));
                }
            }
        }
        return lines;
    }

    static long lastNumber(String line) {
        String[] words = line.trim().split("\\s+");
        return Long.parseLong(words[words.length - 1]);
    }

    /** Parses m:ss.SSS back to milliseconds. */
    private static long parseClock(String clock) {
        String[] minutesRest = clock.split(":");
        String[] secondsMillis = minutesRest[1].split("\\.");
        return Long.parseLong(minutesRest[0]) * 60_000 + Long.parseLong(secondsMillis[0]) * 1000
                + Long.parseLong(secondsMillis[1]);
    }
}
