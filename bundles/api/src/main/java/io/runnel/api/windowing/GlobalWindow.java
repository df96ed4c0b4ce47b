package io.runnel.api.windowing;

/** The one window holding all records of a key; fired by triggers such as {@link CountTrigger}. */
public final class GlobalWindow extends Window {

    public static final GlobalWindow INSTANCE = new GlobalWindow();

    private GlobalWindow() {}

    @Override
    public long maxTimestamp() {
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "GlobalWindow";
    }
}
