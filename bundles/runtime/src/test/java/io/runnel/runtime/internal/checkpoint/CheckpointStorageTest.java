package io.runnel.runtime.internal.checkpoint;

import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.JOB;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.bytes;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.flipByte;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.read;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.truncate;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStorageTest {

    @TempDir
    Path base;

    @Test
    void stateOfSeveralOperatorsWrittenByConcurrentSubtasksReadsBackIntact() throws Exception {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        CheckpointWriter writer = storage.begin(5);
        String[] operators = {"source", "keyed reduce/1", "sink"};
        int parallelism = 4;
        Map<String, byte[]> expected = new HashMap<>();
        List<Callable<StateHandle>> subtasks = new ArrayList<>();
        CountDownLatch allOpen = new CountDownLatch(operators.length * parallelism - 1);
        for (int o = 0; o < operators.length; o++) {
            for (int subtask = 0; subtask < parallelism; subtask++) {
                String uid = operators[o];
                int index = subtask;
                if (o == 2 && subtask == 3) {
                    continue; // the sink's last subtask has no state
                }
                // Sizes from empty to several write buffers, so buffering and the checksum are exercised.
                byte[] state = bytes(o * 10 + subtask, (o == 0 && subtask == 0) ? 0 : 50_000 * (subtask + 1) + o);
                expected.put(uid + "#" + subtask, state);
                subtasks.add(() -> {
                    try (StateFile file = writer.newStateFile(uid, index)) {
                        allOpen.countDown();
                        allOpen.await(); // every file is open at once while the others are written
                        for (int offset = 0; offset < state.length; offset += 777) {
                            file.write(state, offset, Math.min(777, state.length - offset));
                        }
                        file.close();
                        return file.handle();
                    }
                });
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(subtasks.size());
        List<Future<StateHandle>> handles;
        try {
            handles = pool.invokeAll(subtasks);
        } finally {
            pool.shutdown();
        }
        List<OperatorState> states = new ArrayList<>();
        int next = 0;
        for (int o = 0; o < operators.length; o++) {
            Map<Integer, StateHandle> byIndex = new HashMap<>();
            for (int subtask = 0; subtask < parallelism; subtask++) {
                if (!(o == 2 && subtask == 3)) {
                    byIndex.put(subtask, handles.get(next++).get());
                }
            }
            states.add(new OperatorState(operators[o], parallelism, 128, byIndex));
        }
        CheckpointMetadata metadata = CheckpointMetadata.checkpoint(JOB, 5, 1_700_000_000_000L, 42, states);
        writer.complete(metadata);

        // A new storage object, as after a restart, finds the checkpoint from the files alone.
        CompletedCheckpoint restored = new CheckpointStorage(base, JOB).latestCompleted().orElseThrow();
        assertThat(restored.directory()).isEqualTo(base.resolve(JOB).resolve("chk-5"));
        assertThat(restored.metadata()).isEqualTo(metadata);
        assertThat(restored.metadata().leaderEpoch()).isEqualTo(42);
        assertThat(restored.metadata().operator("sink").orElseThrow().stateOf(3)).isEmpty();
        for (String uid : operators) {
            OperatorState operator = restored.metadata().operator(uid).orElseThrow();
            operator.subtaskStates().forEach((subtask, handle) -> {
                try {
                    assertThat(read(restored, handle)).isEqualTo(expected.get(uid + "#" + subtask));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertThat(storage.completedIds()).containsExactly(5L);
    }

    @Test
    void checkpointWithoutMetadataIsIgnored() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        // Checkpoint 2 crashes after its state was written but before _metadata.
        CheckpointWriter crashed = storage.begin(2);
        try (StateFile file = crashed.newStateFile("counter", 0)) {
            file.write(bytes(2, 10));
        }

        RecoveryScan scan = storage.scanForRecovery();

        assertThat(scan.latest().orElseThrow().checkpointId()).isEqualTo(1);
        assertThat(scan.skipped()).singleElement().satisfies(skip -> {
            assertThat(skip.checkpointId()).isEqualTo(2);
            assertThat(skip.reason()).contains(storage.checkpointDirectory(2).toString(), "has no _metadata");
        });
        assertThat(storage.completedIds()).containsExactly(1L);
    }

    @Test
    void noCheckpointAtAllGivesNothing() throws IOException {
        assertThat(new CheckpointStorage(base, JOB).latestCompleted()).isEmpty();
        assertThat(new CheckpointStorage(base, JOB).completedIds()).isEmpty();
    }

    @Test
    void flippedByteInAStateFileSkipsThatCheckpointWithAWarningNamingFileAndChecksums() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        CompletedCheckpoint second = write(storage, 2);
        StateHandle damaged = second.metadata().operator("counter").orElseThrow().stateOf(1).orElseThrow();
        Path damagedFile = second.directory().resolve(damaged.fileName());
        flipByte(damagedFile, 1234);
        int actual = crc32c(Files.readAllBytes(damagedFile));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        RecoveryScan scan;
        // slf4j-simple writes to whatever System.err is at the time of the call.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            scan = storage.scanForRecovery();
        } finally {
            System.setErr(originalErr);
        }

        assertThat(scan.latest().orElseThrow().checkpointId()).isEqualTo(1);
        String reason = scan.skipped().get(0).reason();
        assertThat(reason).contains(damagedFile.toString(), "CRC32C is " + StateHandle.hex(actual),
                "_metadata recorded " + damaged.crc32cHex());
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("WARN", "Skipping checkpoint " + second.directory(), reason);
    }

    @Test
    void stateFileOfTheWrongSizeSkipsTheCheckpoint() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        CompletedCheckpoint second = write(storage, 2);
        StateHandle handle = second.metadata().stateHandles().get(0);
        truncate(second.directory().resolve(handle.fileName()), 10);

        RecoveryScan scan = storage.scanForRecovery();

        assertThat(scan.latest().orElseThrow().checkpointId()).isEqualTo(1);
        assertThat(scan.skipped().get(0).reason()).contains(handle.fileName(), "has 10 bytes", "recorded 100");
    }

    @Test
    void missingStateFileSkipsTheCheckpoint() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        CompletedCheckpoint second = write(storage, 2);
        StateHandle handle = second.metadata().stateHandles().get(1);
        Files.delete(second.directory().resolve(handle.fileName()));

        assertThat(storage.scanForRecovery().skipped().get(0).reason()).contains(handle.fileName(), "is missing");
        assertThat(storage.latestCompleted().orElseThrow().checkpointId()).isEqualTo(1);
    }

    @Test
    void truncatedMetadataSkipsTheCheckpoint() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        Path metadata = write(storage, 2).directory().resolve("_metadata");
        truncate(metadata, Files.size(metadata) - 7);

        RecoveryScan scan = storage.scanForRecovery();

        assertThat(scan.latest().orElseThrow().checkpointId()).isEqualTo(1);
        assertThat(scan.skipped().get(0).reason()).contains(metadata.toString(), "corrupt or truncated");
    }

    @Test
    void corruptedMetadataSkipsTheCheckpoint() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        Path metadata = write(storage, 2).directory().resolve("_metadata");
        flipByte(metadata, 30);

        RecoveryScan scan = storage.scanForRecovery();

        assertThat(scan.latest().orElseThrow().checkpointId()).isEqualTo(1);
        assertThat(scan.skipped().get(0).reason()).contains(metadata.toString(), "stored CRC32C", "computed");
        assertThat(storage.completedIds()).containsExactly(1L);
    }

    @Test
    void metadataOfAnotherCheckpointIdIsNotTrusted() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        CompletedCheckpoint third = write(storage, 3);
        // Someone copied chk-3 to chk-4 by hand: its metadata says 3.
        Files.createDirectories(storage.checkpointDirectory(4));
        for (Path file : Files.list(third.directory()).toList()) {
            Files.copy(file, storage.checkpointDirectory(4).resolve(file.getFileName()));
        }

        RecoveryScan scan = storage.scanForRecovery();

        assertThat(scan.latest().orElseThrow().checkpointId()).isEqualTo(3);
        assertThat(scan.skipped().get(0).reason()).contains("not checkpoint 4");
    }

    @Test
    void everyCheckpointDamagedGivesNothingAndListsEachReason() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        for (long id = 1; id <= 2; id++) {
            flipByte(write(storage, id).directory().resolve("_metadata"), 20);
        }

        RecoveryScan scan = storage.scanForRecovery();

        assertThat(scan.latest()).isEmpty();
        assertThat(scan.skipped()).extracting(SkippedCheckpoint::checkpointId).containsExactly(2L, 1L);
    }

    @Test
    void readingStateThatWasDamagedAfterValidationFailsAtTheEndOfTheStream() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        CompletedCheckpoint checkpoint = write(storage, 1);
        StateHandle handle = checkpoint.metadata().stateHandles().get(0);
        flipByte(checkpoint.directory().resolve(handle.fileName()), 0);

        try (InputStream in = checkpoint.openState(handle)) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(InvalidCheckpointException.class)
                    .hasMessageContaining(handle.fileName())
                    .hasMessageContaining("recorded " + handle.crc32cHex());
        }
    }

    @Test
    void retentionKeepsTheNewestCompletedAndDropsIncompleteOlderOnes() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        storage.begin(2); // incomplete, older than the newest completed: dropped
        write(storage, 3);
        write(storage, 4);
        Path damaged = write(storage, 5).directory().resolve("_metadata");
        flipByte(damaged, 12); // damaged metadata: as good as incomplete
        write(storage, 6);
        storage.begin(7); // in progress, newer than every completed one: kept

        List<Long> deleted = storage.retain(2);

        assertThat(deleted).containsExactlyInAnyOrder(1L, 2L, 3L, 5L);
        assertThat(storage.completedIds()).containsExactly(4L, 6L);
        assertThat(storage.checkpointDirectory(7)).isDirectory();
        for (long gone : deleted) {
            assertThat(storage.checkpointDirectory(gone)).doesNotExist();
        }
        assertThat(storage.latestCompleted().orElseThrow().checkpointId()).isEqualTo(6);
        assertThat(storage.retain(2)).isEmpty();
    }

    @Test
    void retentionWithoutAnyCompletedCheckpointDeletesNothing() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        storage.begin(1);

        assertThat(storage.retain(1)).isEmpty();
        assertThat(storage.checkpointDirectory(1)).isDirectory();
        assertThatThrownBy(() -> storage.retain(0)).hasMessageContaining("state.checkpoints.num-retained");
    }

    @Test
    void beginReplacesALeftoverIncompleteDirectoryButNeverACompletedCheckpoint() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        CheckpointWriter crashed = storage.begin(2);
        try (StateFile file = crashed.newStateFile("counter", 0)) {
            file.write(1);
        }

        // After a restore from checkpoint 1 the id counter continues at 2.
        write(storage, 2);

        assertThat(storage.completedIds()).containsExactly(1L, 2L);
        assertThatThrownBy(() -> storage.begin(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already completed in " + storage.checkpointDirectory(1));
    }

    @Test
    void stateFileNamesAreSafeAndDistinct() {
        String slashed = CheckpointWriter.stateFileName("a/b", 0);
        String underscored = CheckpointWriter.stateFileName("a_b", 0);

        assertThat(slashed).matches("op-a_b-[0-9a-f]{8}-0\\.state").isNotEqualTo(underscored);
        assertThat(CheckpointWriter.stateFileName("x".repeat(500), 12)).hasSizeLessThan(120);
    }

    private static int crc32c(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
