package io.runnel.runtime.internal.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * What {@link CheckpointStorage#scanForRecovery()} found: the newest checkpoint that is complete and
 * intact, and the newer ones it passed over.
 *
 * @param latest the checkpoint to restore from, empty if there is none
 * @param skipped the newer checkpoints that were incomplete or damaged, newest first
 */
public record RecoveryScan(Optional<CompletedCheckpoint> latest, List<SkippedCheckpoint> skipped) {

    public RecoveryScan {
        skipped = List.copyOf(skipped);
    }
}
