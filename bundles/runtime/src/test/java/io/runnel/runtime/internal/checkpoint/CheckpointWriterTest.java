package io.runnel.runtime.internal.checkpoint;

import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.JOB;
import static io.runnel.runtime.internal.checkpoint.TestCheckpoints.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's lifecycle, and what a failing file system does to it. */
class CheckpointWriterTest {

    @TempDir
    Path base;

    private static OperatorState oneSubtask(StateHandle handle) {
        return new OperatorState("counter", 1, 128, Map.of(0, handle));
    }

    @Test
    void completingWhileAStateFileIsOpenIsRefusedAndNamesTheFile() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        CheckpointWriter writer = storage.begin(1);
        StateFile file = writer.newStateFile("counter", 0);
        file.write(new byte[] {1, 2, 3});

        assertThatThrownBy(() -> writer.complete(CheckpointMetadata.checkpoint(JOB, 1, 0, 0, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.path().getFileName().toString())
                .hasMessageContaining("still open");
        assertThatThrownBy(file::handle).isInstanceOf(IllegalStateException.class);

        file.close();
        writer.complete(CheckpointMetadata.checkpoint(JOB, 1, 0, 0, List.of(oneSubtask(file.handle()))));
        assertThat(storage.latestCompleted().orElseThrow().metadata().stateHandles())
                .containsExactly(new StateHandle(file.path().getFileName().toString(), 3, file.handle().crc32c()));
    }

    @Test
    void metadataOfAnotherCheckpointOrWithAMissingFileIsRefused() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        CheckpointWriter writer = storage.begin(4);

        assertThatThrownBy(() -> writer.complete(CheckpointMetadata.checkpoint(JOB, 5, 0, 0, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkpoint 5 cannot complete job " + JOB + " checkpoint 4");
        StateHandle ghost = new StateHandle("op-ghost.state", 10, 0);
        assertThatThrownBy(() -> writer.complete(CheckpointMetadata.checkpoint(JOB, 4, 0, 0, List.of(oneSubtask(ghost)))))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("op-ghost.state named in the metadata does not exist");
        assertThat(storage.completedIds()).isEmpty();
    }

    @Test
    void oneStateFilePerOperatorSubtask() throws IOException {
        CheckpointWriter writer = new CheckpointStorage(base, JOB).begin(1);
        writer.newStateFile("counter", 0).close();

        assertThatThrownBy(() -> writer.newStateFile("counter", 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Operator counter subtask 0 already has a state file");
    }

    @Test
    void abortDeletesTheDirectoryAndStopsWritersStillRunning() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        CheckpointWriter writer = storage.begin(3);
        StateFile running = writer.newStateFile("counter", 0);

        writer.abort();
        writer.abort();

        assertThat(storage.checkpointDirectory(3)).doesNotExist();
        assertThatThrownBy(() -> running.write(new byte[100_000]))
                .hasMessageContaining("was aborted while state file");
        assertThatThrownBy(() -> writer.newStateFile("counter", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("aborted");
    }

    @Test
    void aCompletedCheckpointCannotBeAborted() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        CheckpointWriter writer = storage.begin(1);
        writer.complete(CheckpointMetadata.checkpoint(JOB, 1, 0, 0, List.of()));

        assertThatThrownBy(writer::abort).isInstanceOf(IllegalStateException.class);
        assertThat(storage.completedIds()).containsExactly(1L);
    }

    @Test
    void aFullDiskWhileWritingMetadataNamesThePathAndKeepsTheEarlierCheckpoint() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "needs /dev/full (Linux) to simulate a full disk");
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        CheckpointWriter writer = storage.begin(2);
        // The temporary metadata file resolves to /dev/full, where every write fails with ENOSPC.
        Files.createSymbolicLink(writer.directory().resolve("_metadata.inprogress"), full);

        assertThatThrownBy(() -> writer.complete(CheckpointMetadata.checkpoint(JOB, 2, 0, 0, List.of())))
                .isInstanceOf(CheckpointStorageException.class)
                .hasMessageContaining("Cannot write checkpoint metadata " + writer.directory().resolve("_metadata"))
                .hasMessageContaining("the file system is full")
                .hasMessageContaining("free space");
        assertThat(writer.directory().resolve("_metadata")).doesNotExist();

        writer.abort();
        assertThat(storage.latestCompleted().orElseThrow().checkpointId()).isEqualTo(1);
    }

    @Test
    void aReadOnlyDirectoryFailsWithAMessageNamingThePathAndKeepsTheEarlierCheckpoint() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(base, JOB);
        write(storage, 1);
        Path jobDirectory = storage.jobDirectory();
        Set<PosixFilePermission> original = Files.getPosixFilePermissions(jobDirectory);
        Files.setPosixFilePermissions(jobDirectory, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(permissionsEnforced(jobDirectory), "file permissions are not enforced for this user (root?)");

            assertThatThrownBy(() -> storage.begin(2))
                    .isInstanceOf(CheckpointStorageException.class)
                    .hasMessageContaining("Cannot create checkpoint directory " + storage.checkpointDirectory(2))
                    .hasMessageContaining("permission denied")
                    .hasMessageContaining("writable");
            assertThat(storage.latestCompleted().orElseThrow().checkpointId()).isEqualTo(1);
        } finally {
            Files.setPosixFilePermissions(jobDirectory, original);
        }
    }

    @Test
    void aStateFileInAReadOnlyCheckpointDirectoryNamesTheFile() throws IOException {
        CheckpointWriter writer = new CheckpointStorage(base, JOB).begin(1);
        Set<PosixFilePermission> original = Files.getPosixFilePermissions(writer.directory());
        Files.setPosixFilePermissions(writer.directory(), PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(permissionsEnforced(writer.directory()), "file permissions are not enforced for this user (root?)");

            assertThatThrownBy(() -> writer.newStateFile("counter", 0))
                    .isInstanceOf(CheckpointStorageException.class)
                    .hasMessageContaining(writer.directory().resolve(CheckpointWriter.stateFileName("counter", 0)).toString())
                    .hasMessageContaining("permission denied");
        } finally {
            Files.setPosixFilePermissions(writer.directory(), original);
        }
    }

    @Test
    void aBaseDirectoryThatIsAFileFailsWithAMessageNamingThePath() throws IOException {
        // Works for root too, unlike permissions: nothing can create a directory below a file.
        Path file = Files.writeString(base.resolve("checkpoints"), "oops");
        CheckpointStorage storage = new CheckpointStorage(file, JOB);

        assertThatThrownBy(() -> storage.begin(1))
                .isInstanceOf(CheckpointStorageException.class)
                .hasMessageContaining("Cannot create checkpoint directory " + storage.checkpointDirectory(1))
                .hasMessageContaining("state.checkpoints.dir");
    }

    @Test
    void errorTextSaysWhatIsWrongInPlainWords() {
        Path path = base.resolve("chk-1");

        assertThat(CheckpointStorageException.cannotWrite(path, "write checkpoint state file",
                new IOException("No space left on device")))
                .hasMessageStartingWith("Cannot write checkpoint state file " + path + ": the file system is full");
        assertThat(CheckpointStorageException.cannotWrite(path, "create checkpoint directory",
                new AccessDeniedException(path.toString())))
                .hasMessageContaining("permission denied");
    }

    /** Whether this process is really kept out of a directory it may only read (root is not). */
    private static boolean permissionsEnforced(Path readOnlyDirectory) throws IOException {
        Path probe = readOnlyDirectory.resolve("probe");
        try {
            Files.createFile(probe);
        } catch (AccessDeniedException e) {
            return true;
        }
        Files.delete(probe);
        return false;
    }
}
