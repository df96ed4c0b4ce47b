/**
 * The built-in connectors, each a DS component registered under the connector SPI with
 * {@code runnel.connector=<name>}: {@code collection}, {@code datagen} and {@code file} (lines)
 * sources, {@code print} and {@code file} sinks. The sources resume from checkpoints; the file sink
 * commits part files when checkpoints complete (exactly once).
 * Nothing is exported; jobs name them through {@link io.runnel.api.stream.Sources} and
 * {@link io.runnel.api.stream.Sinks}.
 */
package io.runnel.connectors.basic.internal;
