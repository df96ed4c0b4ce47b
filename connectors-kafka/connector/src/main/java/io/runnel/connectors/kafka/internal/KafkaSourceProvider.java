package io.runnel.connectors.kafka.internal;

import io.runnel.api.stream.SourceDescriptor;
import io.runnel.connectors.kafka.KafkaOptions;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.runnel.spi.format.RecordFormatFactory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code kafka} source (options in {@link KafkaOptions}). Partitions are owned by subtasks by
 * a fixed rule ({@link PartitionOwnership}), so a restored reader takes all splits of the
 * checkpoint ({@link #restoresAllSplits}), keeps those it owns and knows from the rest which
 * partitions the job read already; any other partition it owns is new and is read from its start.
 */
@Component(property = SourceProvider.CONNECTOR + "=" + KafkaOptions.CONNECTOR)
public final class KafkaSourceProvider implements SourceProvider {

    private final Formats formats = new Formats();

    /** A format for {@code key.format} / {@code value.format} (Avro, ...), tracked as its bundle comes and goes. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFormat(RecordFormatFactory factory, Map<String, Object> properties) {
        formats.add(Formats.nameOf(properties), factory);
    }

    void removeFormat(RecordFormatFactory factory, Map<String, Object> properties) {
        formats.remove(Formats.nameOf(properties), factory);
    }

    @Override
    public void validate(SourceDescriptor<?> descriptor) {
        SourceSettings.of(descriptor, formats);
    }

    @Override
    public boolean isBounded(SourceDescriptor<?> descriptor) {
        return SourceSettings.of(descriptor, formats).bounded();
    }

    @Override
    public boolean restoresAllSplits(SourceDescriptor<?> descriptor) {
        return true;
    }

    @Override
    public <T> SourceReader<T> createReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask) {
        return KafkaSourceReader.fresh(SourceSettings.of(descriptor, formats), subtask);
    }

    @Override
    public <T> SourceReader<T> restoreReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask, List<byte[]> splits) {
        List<PartitionSplit> restored = new ArrayList<>(splits.size());
        for (byte[] bytes : splits) {
            restored.add(PartitionSplit.fromBytes(bytes, subtask.operatorName()));
        }
        return KafkaSourceReader.restored(SourceSettings.of(descriptor, formats), subtask, restored);
    }
}
