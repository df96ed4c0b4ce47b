/**
 * How Runnel turns records and state into bytes and back: {@link io.runnel.api.types.TypeSerializer}s
 * for primitives, strings, enums, arrays, Java records, POJOs, tuples, lists, maps and (in the
 * {@code io.runnel.types.avro} bundle) Avro records, made by {@link io.runnel.api.types.Types}.
 *
 * <p>Each serializer describes its byte format with a {@link io.runnel.api.types.TypeSchema}, which
 * savepoints store beside the bytes. On restore the current serializer is asked for a reader of the
 * stored schema ({@link io.runnel.api.types.TypeSerializer#readerFor}); fields added or removed since
 * are handled, incompatible changes are refused before any state is read with an
 * {@link io.runnel.api.types.IncompatibleSchemaException} that names the field.
 *
 * <p>Java serialization is never used for records or state.
 */
@Export
@Version("1.0.0")
package io.runnel.api.types;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
