package io.runnel.api.stream;

/**
 * How a job treats time and its inputs.
 * <ul>
 * <li>{@link #STREAMING} (the default): sources may be unbounded; event time advances with
 * watermarks while the job runs, so windows fire as soon as the watermark passes them and records
 * behind the watermark are late.</li>
 * <li>{@link #BATCH}: every source must be bounded (the job is refused otherwise, naming the
 * unbounded sources). Event time jumps to the end only when the input is complete, so no record is
 * ever late and each window fires once, with all its records: the results are those of a perfect
 * watermark, whatever the order of the input. Processing-time timers run on the wall clock as in
 * streaming.</li>
 * <li>{@link #AUTOMATIC}: BATCH if every source is bounded, else STREAMING.</li>
 * </ul>
 */
public enum RuntimeExecutionMode {
    STREAMING,
    BATCH,
    AUTOMATIC
}
