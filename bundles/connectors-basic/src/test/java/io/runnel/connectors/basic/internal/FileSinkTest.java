package io.runnel.connectors.basic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sinks;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink's writer lifecycle on real files: commit on checkpoint completion, restore, cleanup, rescale. */
class FileSinkTest {

    @TempDir
    Path dir;

    private final FileSink sink = new FileSink();

    private SinkDescriptor<String> files() {
        return Sinks.files(dir.toString());
    }

    private SinkWriter<String> fresh(int subtask, int parallelism) throws Exception {
        return sink.createWriter(files(), new SubtaskInfo("out", subtask, parallelism));
    }

    private SinkWriter<String> restored(int subtask, int parallelism, List<byte[]> state) throws Exception {
        return sink.restoreWriter(files(), new SubtaskInfo("out", subtask, parallelism), state);
    }

    @Test
    void recordsBecomeVisibleOnlyWhenTheirCheckpointCompletes() throws Exception {
        SinkWriter<String> writer = fresh(0, 1);
        writer.write("a");
        writer.write("b");
        assertThat(visible()).isEmpty();
        assertThat(hidden()).containsExactly(".part-0-0.txt.inprogress");

        List<byte[]> state = writer.snapshotState(1);
        assertThat(state).as("a marker of checkpoint 1 and the pending file").hasSize(2);
        assertThat(visible()).isEmpty();
        assertThat(hidden()).containsExactly(".part-0-0.txt.pending-cp1");

        writer.write("c");
        writer.snapshotState(2);
        writer.write("d");
        writer.notifyCheckpointComplete(1);
        assertThat(visible()).containsExactly("part-0-0.txt");
        assertThat(Files.readAllLines(dir.resolve("part-0-0.txt"))).containsExactly("a", "b");

        writer.notifyCheckpointComplete(2);
        assertThat(visible()).containsExactly("part-0-0.txt", "part-0-1.txt");
        assertThat(hidden()).containsExactly(".part-0-2.txt.inprogress");
        assertThat(writer.snapshotState(3)).as("\"d\" is pending for checkpoint 3").hasSize(2);

        writer.finish();
        assertThat(committedLines()).as("the end of the input commits nothing").containsExactly("a", "b", "c");
        writer.notifyCheckpointComplete(3);
        writer.close();
        assertThat(committedLines()).containsExactly("a", "b", "c", "d");
        assertThat(hidden()).isEmpty();
    }

    @Test
    void aMissedNotificationIsCaughtUpByTheNextOne() throws Exception {
        SinkWriter<String> writer = fresh(0, 1);
        writer.write("a");
        writer.snapshotState(1);
        writer.write("b");
        writer.snapshotState(2);
        writer.notifyCheckpointComplete(2); // 1 was never notified
        assertThat(visible()).containsExactly("part-0-0.txt", "part-0-1.txt");
        assertThat(writer.snapshotState(3)).as("only the marker: nothing is pending").hasSize(1);
        writer.close();
    }

    @Test
    void aRestoreCommitsWhatTheCheckpointPromisedOnceAndDropsWhatCameAfter() throws Exception {
        SinkWriter<String> first = fresh(0, 1);
        first.write("a");
        List<byte[]> checkpoint1 = first.snapshotState(1); // completes, but the notification is lost in the crash
        first.write("b");
        first.snapshotState(2); // never completes
        first.write("c");
        first.close(); // the crash
        assertThat(visible()).isEmpty();
        assertThat(hidden()).containsExactly(".part-0-0.txt.pending-cp1", ".part-0-1.txt.pending-cp2",
                ".part-0-2.txt.inprogress");

        SinkWriter<String> second = restored(0, 1, checkpoint1);
        assertThat(visible()).containsExactly("part-0-0.txt");
        assertThat(hidden()).as("the in-progress file and the pending file of checkpoint 2 came after 1").isEmpty();
        second.write("b");
        second.close(); // crashes again before any checkpoint

        SinkWriter<String> third = restored(0, 1, checkpoint1); // the same state again: committed already, fine
        assertThat(visible()).containsExactly("part-0-0.txt");
        third.write("b"); // the replay
        third.write("c");
        third.snapshotState(3);
        third.notifyCheckpointComplete(3);
        third.finish();
        third.close();
        assertThat(committedLines()).containsExactly("a", "b", "c");
        assertThat(hidden()).isEmpty();
        assertThat(visible()).containsExactly("part-0-0.txt", "part-0-1.txt");
    }

    @Test
    void aPromisedFileThatIsGoneIsAnErrorNamingIt() throws Exception {
        SinkWriter<String> writer = fresh(0, 1);
        writer.write("a");
        List<byte[]> state = writer.snapshotState(1);
        writer.close();
        Files.delete(dir.resolve(".part-0-0.txt.pending-cp1"));

        assertThatThrownBy(() -> restored(0, 1, state)).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toAbsolutePath().resolve(".part-0-0.txt.pending-cp1").toString())
                .hasMessageContaining("neither it nor").hasMessageContaining("part-0-0.txt");
        assertThatThrownBy(() -> restored(0, 1, List.of(new byte[] {9, 9})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'out'");
    }

    @Test
    void downscaledFromTwoToOneTheRemainingSubtaskCommitsAndCleansBothNamespaces() throws Exception {
        List<byte[]> checkpoint5 = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            SinkWriter<String> writer = fresh(subtask, 2);
            writer.write("s" + subtask + " before");
            checkpoint5.addAll(writer.snapshotState(5));
            writer.write("s" + subtask + " after 5");
            writer.snapshotState(6); // never completes
            writer.write("s" + subtask + " after 6");
            writer.close();
        }

        SinkWriter<String> only = restored(0, 1, checkpoint5);
        assertThat(visible()).containsExactly("part-0-0.txt", "part-1-0.txt");
        assertThat(hidden()).as("subtask 0 cleans the namespace of the subtask that is gone too").isEmpty();
        only.write("replayed");
        only.snapshotState(7);
        only.notifyCheckpointComplete(7);
        only.finish();
        only.close();
        assertThat(committedLines()).containsExactlyInAnyOrder("s0 before", "s1 before", "replayed");
        assertThat(hidden()).isEmpty();
        assertThat(visible()).containsExactly("part-0-0.txt", "part-0-1.txt", "part-1-0.txt");
    }

    @Test
    void upscaledNoSubtaskDeletesAFileAnotherMustCommit() throws Exception {
        SinkWriter<String> old = fresh(0, 1);
        old.write("one");
        List<byte[]> checkpoint3 = old.snapshotState(3); // the marker and one pending file
        old.write("two");
        old.snapshotState(4); // never completes
        old.write("three");
        old.close();
        assertThat(checkpoint3).hasSize(2);

        // Spread as list state over 3 subtasks: 0 gets nothing, 1 the marker, 2 the pending file of
        // namespace 0. Subtask 0 owns namespace 0 but does not know the checkpoint: it deletes the
        // in-progress file and leaves both pending files until a checkpoint of its own completes.
        SinkWriter<String> zero = restored(0, 3, List.of());
        assertThat(hidden()).containsExactly(".part-0-0.txt.pending-cp3", ".part-0-1.txt.pending-cp4");
        SinkWriter<String> one = restored(1, 3, checkpoint3.subList(0, 1));
        SinkWriter<String> two = restored(2, 3, checkpoint3.subList(1, 2));
        assertThat(visible()).containsExactly("part-0-0.txt");
        assertThat(hidden()).containsExactly(".part-0-1.txt.pending-cp4");

        List<SinkWriter<String>> writers = List.of(zero, one, two);
        for (int subtask = 0; subtask < 3; subtask++) {
            writers.get(subtask).write("new " + subtask);
            writers.get(subtask).snapshotState(5);
        }
        for (SinkWriter<String> writer : writers) {
            writer.notifyCheckpointComplete(5);
            writer.finish();
            writer.close();
        }
        assertThat(hidden()).isEmpty();
        assertThat(visible()).containsExactly("part-0-0.txt", "part-0-2.txt", "part-1-0.txt", "part-2-0.txt");
        assertThat(committedLines()).containsExactlyInAnyOrder("one", "new 0", "new 1", "new 2");
    }

    @Test
    void withoutCheckpointsAFileIsCommittedAtTheEndAndAFailedRunLeavesItHidden() throws Exception {
        SinkWriter<String> cancelled = fresh(0, 1);
        cancelled.write("half");
        cancelled.close();
        assertThat(visible()).isEmpty();
        assertThat(hidden()).containsExactly(".part-0-0.txt.inprogress");
        Files.writeString(dir.resolve("part-3.txt"), "written by the sink before part files were numbered\n");
        Files.writeString(dir.resolve("notes.md"), "not the sink's\n");

        for (int subtask = 0; subtask < 2; subtask++) { // the job again from its beginning, at parallelism 2
            SinkWriter<String> writer = fresh(subtask, 2);
            writer.write("s" + subtask);
            endOfInputWithoutCheckpoint(writer);
            writer.close();
        }
        assertThat(visible()).containsExactly("notes.md", "part-0-0.txt", "part-1-0.txt");
        assertThat(committedLines()).containsExactlyInAnyOrder("s0", "s1");
        assertThat(hidden()).isEmpty();
    }

    @Test
    void aFailedCheckpointNamesTheFileAndLeavesCommittedOutputAlone() throws Exception {
        SinkWriter<String> writer = fresh(0, 1);
        writer.write("kept");
        List<byte[]> checkpoint1 = writer.snapshotState(1);
        writer.notifyCheckpointComplete(1);
        writer.write("lost");
        Files.delete(dir.resolve(".part-0-1.txt.inprogress")); // something removed it behind the writer's back

        assertThatThrownBy(() -> writer.snapshotState(2)).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toAbsolutePath().resolve(".part-0-1.txt.inprogress").toString())
                .hasMessageContaining("for checkpoint 2");
        writer.close();
        SinkWriter<String> again = restored(0, 1, checkpoint1);
        again.close();
        assertThat(committedLines()).containsExactly("kept");
    }

    @Test
    void aFullDiskIsReportedWithTheFileAndTheCause() throws Exception {
        Path full = Path.of("/dev/full"); // every write fails with ENOSPC
        assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        Path file = dir.resolve(".part-0-0.txt.inprogress");
        InProgressPartFile inProgress = new InProgressPartFile(file, new FileOutputStream(full.toFile()));

        assertThatThrownBy(() -> {
            for (int i = 0; i < 100_000; i++) { // more than the buffer holds
                inProgress.append("record " + i);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("cannot write to " + file)
                .hasMessageContaining("No space left on device").hasMessageContaining("free space");
        assertThatThrownBy(inProgress::closeDurably).hasMessageContaining("cannot flush and sync " + file);
    }

    private List<String> visible() throws IOException {
        return names().stream().filter(name -> !name.startsWith(".")).toList();
    }

    private List<String> hidden() throws IOException {
        return names().stream().filter(name -> name.startsWith(".")).toList();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** The lines of the committed part files, file by file in name order. */
    private List<String> committedLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String name : visible()) {
            if (name.startsWith("part-")) {
                lines.addAll(Files.readAllLines(dir.resolve(name)));
            }
        }
        return lines;
    }

    /** What the runtime does when a bounded input ends and no checkpoint follows (see {@code SinkWriter#finish}). */
    static void endOfInputWithoutCheckpoint(SinkWriter<String> writer) throws Exception {
        writer.finish();
        writer.snapshotState(Long.MAX_VALUE);
        writer.notifyCheckpointComplete(Long.MAX_VALUE);
    }
}
