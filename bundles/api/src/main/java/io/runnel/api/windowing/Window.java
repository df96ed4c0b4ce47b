package io.runnel.api.windowing;

/** A group of records of one key that a window function sees together. */
public abstract class Window {

    /** The highest timestamp that belongs to the window. */
    public abstract long maxTimestamp();
}
