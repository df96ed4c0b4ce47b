package io.runnel.runtime.internal.network;

import java.util.Objects;

/**
 * Names one channel of a running job: the buffers from one producer subtask to one consumer subtask
 * over one edge of the job graph. Both TaskManagers derive it from the same deployment, the consumer
 * to {@link DataServer#register register} its input channel under it, the producer to
 * {@link DataClient#open open} the matching remote output channel; it travels once per channel, in
 * the frame that opens it.
 *
 * @param jobId the job
 * @param attempt the job's execution attempt; a restarted job uses a new one, so buffers of an old
 *     attempt never reach a new one
 * @param consumerVertex the id of the consuming job vertex
 * @param inputEdge which of the consumer vertex's input edges (its index in the vertex's inputs); with
 *     the consumer vertex it names the edge, and so the producing vertex
 * @param producerSubtask the producing subtask (0-based)
 * @param consumerSubtask the consuming subtask (0-based)
 */
public record ChannelId(String jobId, int attempt, int consumerVertex, int inputEdge, int producerSubtask,
        int consumerSubtask) {

    public ChannelId {
        Objects.requireNonNull(jobId, "jobId");
        if (attempt < 0 || consumerVertex < 0 || inputEdge < 0 || producerSubtask < 0 || consumerSubtask < 0) {
            throw new IllegalArgumentException("A channel id has no negative numbers: attempt " + attempt
                    + ", consumer vertex " + consumerVertex + ", input edge " + inputEdge + ", producer subtask "
                    + producerSubtask + ", consumer subtask " + consumerSubtask);
        }
    }

    @Override
    public String toString() {
        return "job " + jobId + " attempt " + attempt + ", vertex " + consumerVertex + " input " + inputEdge
                + ", subtask " + producerSubtask + " -> " + consumerSubtask;
    }
}
