/**
 * Small fixed-arity tuples ({@link io.runnel.api.tuple.Tuple2} to {@link io.runnel.api.tuple.Tuple5})
 * for jobs that pair values without declaring a record, with fields {@code f0, f1, ...} as in Flink.
 * They are immutable Java records; {@link io.runnel.api.types.Types} serializes them.
 */
@Export
@Version("1.0.0")
package io.runnel.api.tuple;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
