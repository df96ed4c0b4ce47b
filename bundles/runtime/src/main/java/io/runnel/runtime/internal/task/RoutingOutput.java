package io.runnel.runtime.internal.task;

import java.util.List;
import java.util.Map;

/**
 * The output of a chain's last operator: main records to the main edges, side-output records to the
 * edges that consume that side output, and watermarks and idleness to every edge.
 */
public final class RoutingOutput implements Output<Object> {

    private final Output<Object> main;
    private final Map<String, Output<Object>> sides;
    private final Output<Object> all;

    /**
     * @param main the writers of the main output
     * @param sides the writers of each consumed side output, by tag id
     * @param all every writer
     */
    public RoutingOutput(List<RecordWriter> main, Map<String, List<RecordWriter>> sides, List<RecordWriter> all) {
        this.main = combine(main);
        this.sides = new java.util.HashMap<>();
        sides.forEach((tag, writers) -> this.sides.put(tag, combine(writers)));
        this.all = combine(all);
    }

    @Override
    public void emit(Object record, long timestamp) {
        main.emit(record, timestamp);
    }

    @Override
    public void emitSide(String tag, Object record, long timestamp) {
        Output<Object> side = sides.get(tag);
        if (side != null) {
            side.emit(record, timestamp);
        }
    }

    @Override
    public void emitWatermark(long watermark) {
        all.emitWatermark(watermark);
    }

    @Override
    public void emitIdle(boolean idle) {
        all.emitIdle(idle);
    }

    private static Output<Object> combine(List<RecordWriter> writers) {
        return writers.size() == 1 ? writers.get(0) : new FanOut(writers);
    }
}
