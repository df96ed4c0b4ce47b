/**
 * The RocksDB state backend's factory, exported so that tests and embedded use outside OSGi can
 * register it by hand; inside OSGi it is found as the state backend service {@code rocksdb}.
 */
@Export
@Version("1.0.0")
package io.runnel.state.rocksdb;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
