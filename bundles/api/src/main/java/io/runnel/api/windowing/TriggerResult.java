package io.runnel.api.windowing;

/** What a trigger decides for a window. */
public enum TriggerResult {
    /** Do nothing. */
    CONTINUE(false, false),
    /** Evaluate the window function on the contents, keep the contents. */
    FIRE(true, false),
    /** Drop the contents without evaluating. */
    PURGE(false, true),
    /** Evaluate, then drop the contents. */
    FIRE_AND_PURGE(true, true);

    private final boolean fire;
    private final boolean purge;

    TriggerResult(boolean fire, boolean purge) {
        this.fire = fire;
        this.purge = purge;
    }

    public boolean isFire() {
        return fire;
    }

    public boolean isPurge() {
        return purge;
    }
}
