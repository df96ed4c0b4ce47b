/**
 * The RocksDB keyed state engine: {@link io.runnel.state.rocksdb.internal.RocksKeyedStateBackend} and
 * its snapshots, checkpoint handles, options and native-library lifecycle. Not exported.
 *
 * <p>{@link io.runnel.state.rocksdb.internal.RocksStateBackend} adapts the engine to the state SPI;
 * {@code io.runnel.state.rocksdb.RocksStateBackendFactory} registers it as the {@code rocksdb} state
 * backend service (see the module README, "Wiring to the SPI").
 */
package io.runnel.state.rocksdb.internal;
