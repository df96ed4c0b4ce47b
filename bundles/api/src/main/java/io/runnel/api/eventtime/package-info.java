/**
 * Event time: where a record's timestamp comes from ({@link io.runnel.api.eventtime.TimestampAssigner})
 * and how a source subtask decides how far event time has progressed
 * ({@link io.runnel.api.eventtime.WatermarkGenerator}), bundled in a
 * {@link io.runnel.api.eventtime.WatermarkStrategy}. A watermark {@code w} promises that no record
 * with a timestamp at or below {@code w} follows; an operator's event time is the minimum of the
 * watermarks of its non-idle inputs.
 */
@Export
@Version("1.0.0")
package io.runnel.api.eventtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
