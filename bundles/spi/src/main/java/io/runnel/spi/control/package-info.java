/**
 * Read-only views of the control plane that the JobManager publishes as services, for the shell,
 * the status line and, later, the REST API.
 */
@Export
@Version("1.0.0")
package io.runnel.spi.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
