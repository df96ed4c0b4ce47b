package io.runnel.connectors.kafka.internal;

import io.runnel.api.stream.SourceDescriptor;
import io.runnel.connectors.kafka.KafkaOptions;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code kafka} source (options in {@link KafkaOptions}). Partitions are owned by subtasks by
 * a fixed rule ({@link PartitionOwnership}), so a restored reader takes all splits of the
 * checkpoint ({@link #restoresAllSplits}), keeps those it owns and knows from the rest which
 * partitions the job read already; any other partition it owns is new and is read from its start.
 */
@Component(property = SourceProvider.CONNECTOR + "=" + KafkaOptions.CONNECTOR)
public final class KafkaSourceProvider implements SourceProvider {

    @Override
    public void validate(SourceDescriptor<?> descriptor) {
        SourceSettings.of(descriptor);
    }

    @Override
    public boolean isBounded(SourceDescriptor<?> descriptor) {
        return SourceSettings.of(descriptor).bounded();
    }

    @Override
    public boolean restoresAllSplits(SourceDescriptor<?> descriptor) {
        return true;
    }

    @Override
    public <T> SourceReader<T> createReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask) {
        return KafkaSourceReader.fresh(SourceSettings.of(descriptor), subtask);
    }

    @Override
    public <T> SourceReader<T> restoreReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask, List<byte[]> splits) {
        List<PartitionSplit> restored = new ArrayList<>(splits.size());
        for (byte[] bytes : splits) {
            restored.add(PartitionSplit.fromBytes(bytes, subtask.operatorName()));
        }
        return KafkaSourceReader.restored(SourceSettings.of(descriptor), subtask, restored);
    }
}
