/**
 * Record formats by name: a connector that reads or writes bytes (a Kafka record's key or value)
 * turns them into records with a format a job names in its options ({@code value.format=avro}), not
 * with a class. A format is an OSGi service, a {@link io.runnel.spi.format.RecordFormatFactory}
 * registered with the property {@value io.runnel.spi.format.RecordFormatFactory#FORMAT}; connectors
 * track these services and look a format up when a job names it.
 *
 * <p>This keeps plug-ins apart: a connector bundle never imports a format bundle (Avro, say), and a
 * format can be added to a running node by deploying its bundle.
 */
@Export
@Version("1.0.0")
package io.runnel.spi.format;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
