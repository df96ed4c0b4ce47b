package io.runnel.connectors.basic.internal;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sinks;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * Writes each record's {@code toString()} as a line (UTF-8, {@code \n}) into part files in the
 * directory {@code path}: subtask {@code s} writes {@code part-s-0.txt}, {@code part-s-1.txt}, ...
 * Only committed files have visible names; files still being written or waiting for a checkpoint
 * are hidden ({@code .part-s-c.txt.inprogress}, {@code .part-s-c.txt.pending-cpN}), so a reader of
 * {@code part-*.txt} never sees a partial or uncommitted file. See {@link PartFileName}.
 *
 * <p><b>With checkpoints</b> the output is exactly once: at a checkpoint each subtask closes its
 * in-progress file (flushed and synced) as pending; when the checkpoint completes the pending files
 * are renamed to their visible names. After a failure the job restarts from its latest completed
 * checkpoint; the restored writers commit what that checkpoint promised and drop what was written
 * after it (it is written again from the replayed records). See {@link PartFileWriter} for how the
 * subtasks share that cleanup after a rescale.
 *
 * <p>A bounded job stays exactly once too: a subtask whose input ended commits nothing then; the
 * runtime takes a final checkpoint after its end, which commits its last file.
 *
 * <p><b>Without checkpoints</b> a subtask writes one file and commits it when its input ends. A
 * cancelled or failed run leaves its file hidden (in-progress). A run that starts without restored
 * state (a new job, or a restart with no completed checkpoint) replaces what earlier runs wrote to
 * the directory: committed, pending and in-progress part files are deleted first.
 *
 * <p>An I/O error (a full disk, say) fails the write or the checkpoint with a message naming the file;
 * the job then restarts per its restart strategy, and nothing committed is touched.
 */
@Component(property = io.runnel.spi.connector.SourceProvider.CONNECTOR + "=" + Sinks.FILE)
public final class FileSink implements SinkProvider {

    @Override
    public void validate(SinkDescriptor<?> descriptor) {
        Object path = descriptor.parameters().get(Sinks.PATH);
        if (!(path instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("the file sink needs the parameter '" + Sinks.PATH
                    + "' naming an output directory, but got " + path);
        }
    }

    @Override
    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) throws IOException {
        return PartFileWriter.start(directory(descriptor), subtask);
    }

    /**
     * Commits the pending files named in {@code state} (idempotently: a file committed already is
     * fine; one that is gone altogether is an error naming it), and cleans up after the run that
     * failed; see {@link PartFileWriter}.
     *
     * @throws IllegalArgumentException if an element of the state is not one of this sink's
     */
    @Override
    public <T> SinkWriter<T> restoreWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask, List<byte[]> state)
            throws IOException {
        List<PendingPartFile> promised = new ArrayList<>(state.size());
        long restoredCheckpoint = -1;
        for (byte[] element : state) {
            byte type = element.length == 0 ? 0 : element[0];
            if (type == PendingPartFile.TYPE) {
                promised.add(PendingPartFile.fromBytes(element, subtask.operatorName()));
            } else if (type == CheckpointMarker.TYPE) {
                // All markers of one restore come from one checkpoint; the highest is the safe bound anyway.
                restoredCheckpoint = Math.max(restoredCheckpoint, CheckpointMarker.fromBytes(element,
                        subtask.operatorName()).checkpointId());
            } else {
                throw new IllegalArgumentException("The file sink '" + subtask.operatorName() + "' cannot read a "
                        + element.length + "-byte element of type " + type + " in its writer state (it writes types "
                        + PendingPartFile.TYPE + " and " + CheckpointMarker.TYPE + "): the checkpoint was written by "
                        + "another sink or a newer version of this one.");
            }
        }
        return PartFileWriter.restore(directory(descriptor), subtask, promised, restoredCheckpoint);
    }

    private static PartFileDirectory directory(SinkDescriptor<?> descriptor) throws IOException {
        return PartFileDirectory.open(Path.of((String) descriptor.parameters().get(Sinks.PATH)).toAbsolutePath());
    }
}
