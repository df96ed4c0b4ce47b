package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.Sources;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.KeyedStateHandle;
import io.runnel.spi.state.KeyedStateSnapshot;
import io.runnel.spi.state.NativeRestore;
import io.runnel.spi.state.NativeStateHandle;
import io.runnel.spi.state.PortableKeyedState;
import io.runnel.spi.state.PortableStateHandle;
import io.runnel.spi.state.SnapshotRequest;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state backend with incremental checkpoints (a fake one, keeping state on the heap) writes shared
 * and private files at each checkpoint; the job fails and restores from those native handles with
 * exactly the failure-free result, the metadata names the shared files, retention deletes those no
 * retained checkpoint names any more, and a finished job's checkpoints go with its shared files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IncrementalCheckpointTest {

    private static final long COUNT = 12_000;

    @TempDir
    Path checkpoints;

    /**
     * Keeps state on the heap; at a checkpoint it uploads the state's portable bytes as a new shared
     * file, names it and the file of the last checkpoint confirmed to it (which a real incremental
     * backend would share), and writes a private manifest naming the new file.
     */
    static final class FakeIncrementalBackend implements StateBackendFactory {
        static final String NAME = "fake-incremental";
        final AtomicInteger nativeSnapshots = new AtomicInteger();
        final AtomicInteger nativeRestores = new AtomicInteger();
        /** Shared files of checkpoints whose completion reached the backend that wrote them. */
        final Set<String> confirmedFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final HeapStateBackendFactory heap = new HeapStateBackendFactory();

        @Override
        public void validateOptions(Map<String, String> options) {}

        @Override
        public KeyedStateBackend createKeyedStateBackend(KeyedStateBackendContext context) {
            KeyedStateBackend delegate = heap.createKeyedStateBackend(context);
            return (KeyedStateBackend) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {KeyedStateBackend.class}, new Backend(delegate, context));
        }

        /** The incremental parts; everything else goes to the heap backend. */
        private final class Backend implements java.lang.reflect.InvocationHandler {
            private final KeyedStateBackend delegate;
            private final KeyedStateBackendContext context;
            private final String id = UUID.randomUUID().toString();
            private final Map<Long, String> uploaded = new java.util.concurrent.ConcurrentHashMap<>();
            private volatile String confirmed;

            Backend(KeyedStateBackend delegate, KeyedStateBackendContext context) {
                this.delegate = delegate;
                this.context = context;
            }

            @Override
            public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "writesNativeCheckpoints":
                        return true;
                    case "snapshot":
                        return snapshot((SnapshotRequest) args[0]);
                    case "restoreNative":
                        @SuppressWarnings("unchecked")
                        List<NativeRestore> handles = (List<NativeRestore>) args[0];
                        restoreNative(handles);
                        return null;
                    case "notifyCheckpointComplete":
                        String file = uploaded.get((Long) args[0]);
                        if (file != null) {
                            confirmed = file;
                            confirmedFiles.add(file);
                        }
                        return null;
                    default:
                        try {
                            return method.invoke(delegate, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                }
            }

            private KeyedStateSnapshot snapshot(SnapshotRequest request) throws Exception {
                KeyedStateSnapshot portable = delegate.snapshot(SnapshotRequest.portable(request.checkpointId(),
                        request.type()));
                if (!request.mayWriteNative()) {
                    return portable;
                }
                String base = confirmed;
                return () -> {
                    PortableStateHandle bytes = (PortableStateHandle) portable.materialize();
                    String name = id + "/" + request.checkpointId() + ".sst";
                    Path shared = request.sharedDirectory().resolve(name);
                    Files.createDirectories(shared.getParent());
                    try (OutputStream out = Files.newOutputStream(shared)) {
                        bytes.bytes().writeTo(out);
                    }
                    Files.writeString(request.privateDirectory().resolve("MANIFEST"), name, StandardCharsets.UTF_8);
                    uploaded.put(request.checkpointId(), name);
                    nativeSnapshots.incrementAndGet();
                    List<String> sharedFiles = base == null || base.equals(name) ? List.of(name) : List.of(name, base);
                    KeyedStateHandle handle = new NativeStateHandle(NAME, context.maxParallelism(),
                            context.firstKeyGroup(), context.lastKeyGroup(), sharedFiles, List.of("MANIFEST"),
                            new byte[] {1});
                    return handle;
                };
            }

            private void restoreNative(List<NativeRestore> handles) throws IOException {
                PortableKeyedState.Restored restored = PortableKeyedState.Restored.empty();
                for (NativeRestore handle : handles) {
                    String data = Files.readString(handle.privateFiles().get(0), StandardCharsets.UTF_8);
                    try (DataInputStream in = new DataInputStream(Files.newInputStream(handle.sharedDirectory()
                            .resolve(data)))) {
                        restored = PortableKeyedState.read(in, context.maxParallelism(), context.firstKeyGroup(),
                                context.lastKeyGroup(), context.keySerializer(),
                                context.namespaceSerializer().orElse(null), restored);
                    }
                }
                nativeRestores.incrementAndGet();
                delegate.restore(restored);
            }
        }
    }

    private static Set<String> sharedFilesOnDisk(Path shared) throws IOException {
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(shared)) {
            try (Stream<Path> files = Files.walk(shared)) {
                files.filter(Files::isRegularFile).forEach(file -> names.add(shared.relativize(file).toString()));
            }
        }
        return names;
    }

    @Test
    void aJobRestoresFromIncrementalCheckpointsAndRetentionKeepsOnlyTheSharedFilesInUse() throws Exception {
        FakeIncrementalBackend backend = new FakeIncrementalBackend();
        MapConnectorRegistry connectors = new MapConnectorRegistry()
                .withStateBackend("heap", new HeapStateBackendFactory())
                .withStateBackend(FakeIncrementalBackend.NAME, backend)
                .withSource("datagen", new DatagenSource())
                .withSink(TransactionalTestSink.CONNECTOR, new TransactionalTestSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(2);
        env.configure(Map.of(ExecutionOptions.STATE_BACKEND_TYPE, FakeIncrementalBackend.NAME));
        env.enableCheckpointing(Duration.ofMillis(40));
        env.getCheckpointConfig().setDirectory(checkpoints.toString()).setNumRetained(2).setRetainOnCancel(true);
        env.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(20)));
        env.fromSource(Sources.generator(COUNT, 20_000, i -> i), "numbers")
                .map(new CheckpointRecoveryTest.FailAt("incremental", 4_001, 9_001))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((value, previous) -> value))
                .keyBy(value -> value % 5)
                .window(TumblingWindows.<Long>ofEventTime(Duration.ofMillis(1000)))
                .aggregate(new CheckpointRecoveryTest.CountAndSum(), new CheckpointRecoveryTest.Describe())
                .sinkTo(TransactionalTestSink.into("incremental"), "sink");
        LocalJob job = env.submit("incremental");

        JobResult result = job.result().get(90, TimeUnit.SECONDS);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(job.restarts()).isEqualTo(2);
        assertThat(backend.nativeSnapshots).as("checkpoints were incremental").hasPositiveValue();
        assertThat(backend.nativeRestores).as("restores read the native handles").hasPositiveValue();
        List<String> expected = new ArrayList<>();
        for (long key = 0; key < 5; key++) {
            for (long start = 0; start < COUNT; start += 1000) {
                long count = 0;
                long sum = 0;
                for (long i = start; i < Math.min(start + 1000, COUNT); i++) {
                    if (i % 5 == key) {
                        count++;
                        sum += i;
                    }
                }
                expected.add(key + " " + start + " " + count + " " + sum);
            }
        }
        assertThat(TransactionalTestSink.committed("incremental")).containsExactlyInAnyOrderElementsOf(expected);

        // The retained checkpoints name shared files, and no other file that a completed checkpoint named
        // is left: the shared directory holds what the retained checkpoints name, plus uploads of
        // checkpoints that never completed (aborted by a failure), which stay until discardAll. One
        // checkpoint is in progress at a time, so no acknowledged-but-pending state protects a file here.
        io.runnel.runtime.internal.checkpoint.CheckpointStorage storage =
                new io.runnel.runtime.internal.checkpoint.CheckpointStorage(checkpoints, job.jobId().value());
        List<Long> retained = storage.completedIds();
        assertThat(retained).hasSizeBetween(1, 2);
        Set<String> named = new TreeSet<>();
        for (long id : retained) {
            io.runnel.runtime.internal.checkpoint.CompletedCheckpoint checkpoint =
                    io.runnel.runtime.internal.checkpoint.CheckpointStorage.open(storage.checkpointDirectory(id));
            checkpoint.metadata().stateHandles().forEach(handle -> named.addAll(handle.sharedFiles()));
        }
        assertThat(named).as("the keyed operator's handles name shared files").isNotEmpty();
        Set<String> onDisk = sharedFilesOnDisk(storage.sharedDirectory());
        assertThat(onDisk).containsAll(named);
        assertThat(onDisk.size()).as("files of subsumed checkpoints were deleted")
                .isLessThan(backend.nativeSnapshots.get());
        assertThat(backend.confirmedFiles).as("completions reached the backend").isNotEmpty();
        for (String file : onDisk) {
            assertThat(named.contains(file) || !backend.confirmedFiles.contains(file))
                    .as("shared file %s of a completed checkpoint no retained one names is gone", file).isTrue();
        }

        storage.discardAll();
        assertThat(storage.sharedDirectory()).doesNotExist();
    }
}
