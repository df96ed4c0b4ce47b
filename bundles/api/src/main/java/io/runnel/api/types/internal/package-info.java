/**
 * The built-in serializers behind {@link io.runnel.api.types.Types}: the byte format of each kind,
 * the reflection that finds the fields of records and POJOs, schema evolution (matching fields by
 * name, skipping removed ones) and the dynamic serializer that tags each value with its type. Not
 * exported: users reach all of it through {@code Types}.
 */
package io.runnel.api.types.internal;
