/**
 * The RocksDB keyed state engine: {@link io.runnel.state.rocksdb.internal.RocksKeyedStateBackend} and
 * its snapshots, checkpoint handles, options and native-library lifecycle. Not exported.
 *
 * <p><b>How it becomes the {@code rocksdb} state backend service.</b> Once the state SPI
 * ({@code io.runnel.spi.state}) exists, a DS component in this package registers under the SPI's
 * backend interface with {@code runnel.state.backend=rocksdb}. It reads {@link
 * io.runnel.state.rocksdb.internal.RocksStateOptions} from its configuration, keeps one {@link
 * io.runnel.state.rocksdb.internal.SlotMemory} per task slot, and for each keyed operator subtask
 * builds a {@link io.runnel.state.rocksdb.internal.BackendSetup} from what the SPI hands it (key
 * groups, key and namespace serializers, clock) and wraps a backend in the SPI's keyed-backend
 * interface: state access maps one to one; savepoints feed {@link
 * io.runnel.state.rocksdb.internal.PortableSnapshot} entries into the SPI's portable writer and
 * {@link io.runnel.state.rocksdb.internal.PortableRestore} from its reader; checkpoints run {@link
 * io.runnel.state.rocksdb.internal.RocksKeyedStateBackend#checkpoint} as the synchronous part and
 * {@link io.runnel.state.rocksdb.internal.IncrementalCheckpoint#upload} as the asynchronous one, hand
 * the runtime the shared files of the {@link io.runnel.state.rocksdb.internal.IncrementalSnapshotHandle}
 * for reference counting and store the handle's bytes in the checkpoint.
 */
package io.runnel.state.rocksdb.internal;
