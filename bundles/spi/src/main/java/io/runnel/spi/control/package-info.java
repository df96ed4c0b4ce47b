/**
 * The control plane: views the JobManager publishes as services (for the shell, the status line
 * and, later, the REST API), the runtime's job and task executors, and the messages of job
 * deployment between the leading JobManager and the TaskManagers ({@link io.runnel.spi.control.ControlTopics}).
 */
@Export
@Version("1.2.0")
package io.runnel.spi.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
