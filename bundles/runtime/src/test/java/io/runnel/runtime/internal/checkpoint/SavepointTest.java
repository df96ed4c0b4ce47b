package io.runnel.runtime.internal.checkpoint;

import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.JOB;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.bytes;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.flipByte;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.read;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.writeStates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavepointTest {

    @TempDir
    Path temp;

    private CheckpointStorage storage() {
        return new CheckpointStorage(temp.resolve("checkpoints"), JOB);
    }

    private CompletedCheckpoint writeSavepoint(Path target) throws IOException {
        CheckpointWriter writer = storage().beginSavepoint(target);
        Map<String, byte[][]> states = new LinkedHashMap<>();
        states.put("dedupe", new byte[][] {bytes(1, 500), null, bytes(3, 70_000)});
        List<OperatorState> operators = writeStates(writer, states);
        return writer.complete(CheckpointMetadata.savepoint(JOB, 17, 1_700_000_000_000L, 2, operators));
    }

    @Test
    void savepointWrittenToAUserDirectoryOpensBackAfterItWasMoved() throws IOException {
        Path target = temp.resolve("savepoints").resolve("before-upgrade");
        writeSavepoint(target);
        // Savepoints name their files relative to their directory, so they can be moved or copied.
        Path moved = Files.move(target, temp.resolve("moved"));

        CompletedCheckpoint opened = storage().open(moved);

        assertThat(opened.isSavepoint()).isTrue();
        assertThat(opened.checkpointId()).isEqualTo(17);
        assertThat(opened.metadata().formatVersion()).isEqualTo(CheckpointMetadata.CURRENT_FORMAT_VERSION);
        OperatorState dedupe = opened.metadata().operator("dedupe").orElseThrow();
        assertThat(dedupe.parallelism()).isEqualTo(3);
        assertThat(dedupe.stateOf(1)).isEmpty();
        assertThat(read(opened, dedupe.stateOf(2).orElseThrow())).isEqualTo(bytes(3, 70_000));
        // The _metadata file itself is accepted too, as Flink accepts it.
        assertThat(storage().open(moved.resolve("_metadata")).directory()).isEqualTo(moved);
    }

    @Test
    void savepointsAreNotCheckpointsOfTheJob() throws IOException {
        writeSavepoint(temp.resolve("sp"));

        assertThat(storage().latestCompleted()).isEmpty();
        assertThat(storage().completedIds()).isEmpty();
    }

    @Test
    void aCompletedCheckpointDirectoryCanBeOpenedLikeASavepoint() throws IOException {
        CompletedCheckpoint checkpoint = TestCheckpoints.write(storage(), 9);

        assertThat(storage().open(checkpoint.directory()).metadata()).isEqualTo(checkpoint.metadata());
    }

    @Test
    void openingAPathThatDoesNotExistNamesIt() {
        Path missing = temp.resolve("no-such-savepoint");

        assertThatThrownBy(() -> storage().open(missing))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void openingADirectoryWithoutMetadataNamesIt() throws IOException {
        Path empty = Files.createDirectory(temp.resolve("half-written"));

        assertThatThrownBy(() -> storage().open(empty))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("Cannot resume from " + empty)
                .hasMessageContaining("has no _metadata");
    }

    @Test
    void openingASavepointWithDamagedStateThrowsInsteadOfFallingBack() throws IOException {
        Path target = temp.resolve("sp");
        CompletedCheckpoint savepoint = writeSavepoint(target);
        StateHandle handle = savepoint.metadata().stateHandles().get(0);
        flipByte(target.resolve(handle.fileName()), 7);

        assertThatThrownBy(() -> storage().open(target))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("Cannot resume from " + target)
                .hasMessageContaining(handle.fileName())
                .hasMessageContaining("recorded " + handle.crc32cHex());
    }

    @Test
    void openingAFileThatIsNotMetadataNamesIt() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("not-a-savepoint"));
        Files.writeString(directory.resolve("_metadata"), "hello, this is not a checkpoint");

        assertThatThrownBy(() -> storage().open(directory))
                .hasMessageContaining(directory.resolve("_metadata").toString())
                .hasMessageContaining("is not Runnel checkpoint metadata");
    }

    @Test
    void aSavepointNeverOverwritesANonEmptyDirectory() throws IOException {
        Path target = temp.resolve("sp");
        writeSavepoint(target);

        assertThatThrownBy(() -> storage().beginSavepoint(target))
                .isInstanceOf(CheckpointStorageException.class)
                .hasMessageContaining(target + " is not empty");
        assertThat(storage().open(target).checkpointId()).isEqualTo(17);
    }
}
