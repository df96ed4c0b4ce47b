package io.runnel.examples.internal;

/**
 * The demo's deterministic click log: line {@code c} depends on {@code c} alone. About 25 clicks per
 * second of event time from 40 users, up to a second out of order; each user sleeps one minute in
 * three (those clicks, and one in fifty otherwise, come from bots), so sessions end and start.
 */
public final class ClickLog {

    static final int USERS = 40;
    private static final String[] PAGES = {"/", "/search", "/product", "/cart", "/checkout", "/help", "/account", "/blog"};

    private ClickLog() {}

    public static String line(long c) {
        long h = mix(c);
        long time = Math.max(0, c * 40 + Long.remainderUnsigned(h, 2000) - 1000);
        int user = (int) Long.remainderUnsigned(h >>> 11, USERS);
        boolean asleep = ((time / 60_000) + user) % 3 == 0;
        boolean bot = asleep || Long.remainderUnsigned(h >>> 23, 50) == 0;
        String page = PAGES[(int) Long.remainderUnsigned(h >>> 31, PAGES.length)];
        String action = bot ? "bot" : Long.remainderUnsigned(h >>> 41, 4) == 0 ? "click" : "view";
        return time + ",user-" + user + "," + page + "," + action;
    }

    private static long mix(long c) {
        long h = c * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }
}
