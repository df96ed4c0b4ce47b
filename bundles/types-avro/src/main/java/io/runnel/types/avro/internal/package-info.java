/**
 * The Avro record serializer behind {@link io.runnel.types.avro.AvroSerializers}, and the
 * translation of Avro's compatibility report into Runnel's schema error. Not exported.
 */
package io.runnel.types.avro.internal;
