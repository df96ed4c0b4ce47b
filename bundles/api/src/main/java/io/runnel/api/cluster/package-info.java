/**
 * Views of a Runnel cluster: its nodes, their roles and the task slots they offer.
 * These value types are what the cluster SPI, the JobManager, the shell and later the REST API
 * exchange; none of them refers to the technology that implements the cluster.
 */
@Export
@Version("1.0.0")
package io.runnel.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
