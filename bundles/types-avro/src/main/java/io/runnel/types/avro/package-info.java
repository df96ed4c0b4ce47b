/**
 * Avro records as Runnel types: {@link io.runnel.types.avro.AvroSerializers} makes a
 * {@link io.runnel.api.types.TypeSerializer} for generic or specific (generated) Avro records. The
 * Avro schema is stored in savepoints, and state written under an older Avro schema is read through
 * Avro's own schema resolution, so Avro's evolution rules (new fields need defaults, aliases for
 * renames) apply. {@link io.runnel.types.avro.AvroRecordFormats} makes the record serializers that
 * connectors take for external bytes (Kafka keys and values), in Avro's single-object encoding with
 * writer schemas found by fingerprint in an {@link io.runnel.types.avro.AvroSchemaDirectory}.
 */
@Export
@Version("1.0.0")
package io.runnel.types.avro;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
