package io.runnel.runtime.internal.checkpoint;

import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.JOB;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared state files of incremental checkpoints: kept while a retained checkpoint (or one in progress)
 * names them, deleted when none does, counted afresh from the metadata after a restart, and removed
 * with the job's checkpoints.
 */
class SharedStateRetentionTest {

    @TempDir
    Path base;

    /**
     * Writes shared files as an incremental backend does: each checkpoint uploads its new files once into
     * the shared directory and names every file it still needs; files compacted away are no longer named.
     */
    private static final class FakeIncrementalBackend {
        private final Set<String> live = new LinkedHashSet<>();
        private int next;

        /** Adds {@code added} new files and drops {@code dropped} of the oldest, as a compaction would. */
        List<String> checkpoint(CheckpointStorage storage, int added, int dropped) throws IOException {
            for (int i = 0; i < dropped && !live.isEmpty(); i++) {
                live.remove(live.iterator().next());
            }
            for (int i = 0; i < added; i++) {
                String name = "op-1/" + (next++) + ".sst";
                Path file = storage.sharedDirectory().resolve(name);
                Files.createDirectories(file.getParent());
                Files.writeString(file, "table " + name, StandardCharsets.UTF_8);
                live.add(name);
            }
            return List.copyOf(live);
        }
    }

    /** A completed checkpoint whose one state file names {@code shared}. */
    private static CompletedCheckpoint complete(CheckpointStorage storage, long id, List<String> shared)
            throws IOException {
        CheckpointWriter writer = storage.begin(id);
        StateFile file = writer.newStateFile("op", 0);
        try (file) {
            file.write(("handle of checkpoint " + id).getBytes(StandardCharsets.UTF_8));
        }
        OperatorState operator = new OperatorState("op", 1, 128, Map.of(0, file.handle().withSharedFiles(shared)));
        return writer.complete(CheckpointMetadata.checkpoint(JOB, id, 1_000 + id, 1, List.of(operator)));
    }

    private static Set<String> sharedFilesOnDisk(CheckpointStorage storage) throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        if (Files.isDirectory(storage.sharedDirectory())) {
            try (var files = Files.walk(storage.sharedDirectory())) {
                files.filter(Files::isRegularFile)
                        .forEach(file -> names.add(storage.sharedDirectory().relativize(file).toString().replace('\\', '/')));
            }
        }
        return names;
    }

    @Test
    void aSharedFileIsDeletedOnlyWhenNoRetainedCheckpointNamesIt() throws Exception {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        FakeIncrementalBackend backend = new FakeIncrementalBackend();
        List<List<String>> named = new ArrayList<>();
        for (long id = 1; id <= 6; id++) {
            List<String> shared = backend.checkpoint(storage, 2, id > 2 ? 1 : 0);
            named.add(shared);
            complete(storage, id, shared);
            storage.retain(2);
            Set<String> expected = new java.util.TreeSet<>(shared);
            if (id > 1) {
                expected.addAll(named.get((int) id - 2)); // the previous checkpoint is retained too
            }
            assertThat(sharedFilesOnDisk(storage)).as("after checkpoint %s", id).isEqualTo(expected);
        }
        assertThat(storage.completedIds()).containsExactly(5L, 6L);
        CompletedCheckpoint latest = storage.latestCompleted().orElseThrow();
        assertThat(latest.metadata().stateHandles().get(0).sharedFiles()).isEqualTo(named.get(5));
        assertThat(latest.sharedDirectory()).isEqualTo(storage.sharedDirectory());
    }

    @Test
    void filesAcknowledgedForACheckpointInProgressAreKept() throws Exception {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        FakeIncrementalBackend backend = new FakeIncrementalBackend();
        complete(storage, 1, backend.checkpoint(storage, 3, 0)); // 0, 1, 2
        List<String> second = backend.checkpoint(storage, 1, 2); // 2, 3
        complete(storage, 2, second);
        // Checkpoint 3 is in progress and was acknowledged naming file 0 again (a backend restored from
        // checkpoint 1 would): retention after 2 must not delete it.
        storage.retain(1, Set.of("op-1/0.sst"));
        assertThat(sharedFilesOnDisk(storage)).containsExactlyInAnyOrder("op-1/0.sst", "op-1/2.sst", "op-1/3.sst");
        storage.retain(1);
        assertThat(sharedFilesOnDisk(storage)).as("file 0 stays: checkpoint 3 names it once it completes (if it fails, discardAll removes it)")
                .containsExactlyInAnyOrder("op-1/0.sst", "op-1/2.sst", "op-1/3.sst");
    }

    @Test
    void theCountsComeFromTheRetainedMetadataSoARestartedJobManagerDeletesTheSame() throws Exception {
        FakeIncrementalBackend backend = new FakeIncrementalBackend();
        CheckpointStorage before = new CheckpointStorage(base, JOB);
        complete(before, 1, backend.checkpoint(before, 2, 0)); // 0, 1
        complete(before, 2, backend.checkpoint(before, 2, 1)); // 1, 2, 3
        before.retain(2);
        assertThat(sharedFilesOnDisk(before)).hasSize(4);

        CheckpointStorage restarted = new CheckpointStorage(base, JOB); // a new leader, nothing in memory
        complete(restarted, 3, backend.checkpoint(restarted, 1, 2)); // 3, 4
        restarted.retain(1);
        assertThat(sharedFilesOnDisk(restarted)).containsExactlyInAnyOrder("op-1/3.sst", "op-1/4.sst");
        assertThat(restarted.scanForRecovery().latest()).isPresent();
    }

    @Test
    void aCheckpointWhoseSharedFileIsMissingIsSkippedForRecovery() throws Exception {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        FakeIncrementalBackend backend = new FakeIncrementalBackend();
        complete(storage, 1, backend.checkpoint(storage, 1, 0));
        complete(storage, 2, backend.checkpoint(storage, 1, 0));
        Files.delete(storage.sharedDirectory().resolve("op-1/1.sst"));
        RecoveryScan scan = storage.scanForRecovery();
        assertThat(scan.latest()).map(c -> c.metadata().checkpointId()).contains(1L);
        assertThat(scan.skipped()).singleElement().satisfies(skipped ->
                assertThat(skipped.reason()).contains("op-1/1.sst").contains("missing"));
    }

    @Test
    void discardingTheJobsCheckpointsRemovesTheSharedDirectory() throws Exception {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        FakeIncrementalBackend backend = new FakeIncrementalBackend();
        complete(storage, 1, backend.checkpoint(storage, 2, 0));
        backend.checkpoint(storage, 1, 0); // uploaded by a checkpoint that never completed
        storage.discardAll();
        assertThat(storage.sharedDirectory()).doesNotExist();
        assertThat(storage.jobDirectory()).doesNotExist();
    }

    @Test
    void sharedFilesSurviveTheMetadataAndTheAcknowledgementRoundTrip() throws Exception {
        StateHandle handle = new StateHandle("op-0", 10, 7, List.of("a/1.sst", "b.sst"));
        CheckpointMetadata metadata = CheckpointMetadata.checkpoint(JOB, 4, 1, 1,
                List.of(new OperatorState("op", 1, 128, Map.of(0, handle))));
        CheckpointMetadata read = MetadataFormat.decode(MetadataFormat.encode(metadata), base.resolve("_metadata"));
        assertThat(read.stateHandles()).containsExactly(handle);

        CheckpointMessages.Ack ack = new CheckpointMessages.Ack(JOB, 0, 4, metadata.operators());
        assertThat(CheckpointMessages.Ack.decode(ack.encode()).operators().get(0).subtaskStates().get(0).sharedFiles())
                .containsExactly("a/1.sst", "b.sst");
    }
}
