/**
 * The built-in connectors, each a DS component registered under the connector SPI with
 * {@code runnel.connector=<name>}: {@code collection} and {@code datagen} sources, {@code print} sink.
 * Nothing is exported; jobs name them through {@link io.runnel.api.stream.Sources} and
 * {@link io.runnel.api.stream.Sinks}.
 */
package io.runnel.connectors.basic.internal;
