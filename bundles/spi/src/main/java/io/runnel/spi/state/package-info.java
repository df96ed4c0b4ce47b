/**
 * The state backend SPI: a keyed state backend keeps the keyed state of one operator subtask. A
 * backend is an OSGi service, a {@link io.runnel.spi.state.StateBackendFactory} registered with the
 * property {@value io.runnel.spi.state.StateBackendFactory#BACKEND} naming it ({@code heap},
 * {@code rocksdb}); a job picks one by that name ({@code state.backend.type}) and the runtime looks it
 * up when the job starts, never by class name.
 *
 * <p>What the runtime keeps for itself: timers (event and processing time, always on the heap) and
 * operator state. What a backend gets from the runtime is the {@link
 * io.runnel.spi.state.KeyedStateBackendContext}: key groups, serializers, clock, options,
 * directories and, since 1.1, the task slot the subtask runs in.
 *
 * <p>Snapshots have a synchronous part on the task thread ({@link
 * io.runnel.spi.state.KeyedStateBackend#snapshot}) and an asynchronous part on a checkpoint I/O thread
 * ({@link io.runnel.spi.state.KeyedStateSnapshot#materialize}). A savepoint is always in the portable
 * format ({@link io.runnel.spi.state.PortableKeyedState}), which every backend reads; a checkpoint may
 * be backend-native ({@link io.runnel.spi.state.NativeStateHandle}) when the runtime gives the backend
 * a shared-state directory.
 */
@Export
@Version("1.1.0")
package io.runnel.spi.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
