/**
 * Runnel's public API: the identifiers and value types that jobs, tools and plug-ins share.
 * Everything here is immutable and safe to pass between threads and bundles.
 */
@Export
@Version("1.0.0")
package io.runnel.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
