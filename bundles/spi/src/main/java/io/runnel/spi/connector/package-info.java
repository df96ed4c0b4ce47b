/**
 * The connector SPI: sources and sinks are OSGi services registered with the property
 * {@value io.runnel.spi.connector.SourceProvider#CONNECTOR} naming them; the runtime finds them by
 * the name in a job's {@link io.runnel.api.stream.SourceDescriptor} or
 * {@link io.runnel.api.stream.SinkDescriptor}.
 *
 * <p>Readers and writers are created per parallel subtask and called from that subtask's thread
 * only. Their methods must not block for long (about a millisecond): a source with nothing to emit
 * returns {@link io.runnel.spi.connector.SourceReader.Status#NOTHING_AVAILABLE}.
 */
@Export
@Version("1.3.0")
package io.runnel.spi.connector;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
