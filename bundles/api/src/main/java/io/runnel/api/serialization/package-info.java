/**
 * Turning records into bytes and back at the edges of a job: what a connector reads from or writes
 * to an external system (a Kafka record's key or value, a line of a file). Connectors take these;
 * formats (Avro in {@code io.runnel.types.avro}, or the user's own) implement them. State inside a
 * job uses {@link io.runnel.api.types.TypeSerializer} instead, which also handles schema evolution of
 * stored state.
 */
@Export
@Version("1.0.0")
package io.runnel.api.serialization;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
