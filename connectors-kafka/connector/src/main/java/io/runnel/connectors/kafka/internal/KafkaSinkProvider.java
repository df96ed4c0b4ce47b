package io.runnel.connectors.kafka.internal;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.connectors.kafka.DeliveryGuarantee;
import io.runnel.connectors.kafka.KafkaOptions;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.runnel.spi.format.RecordFormatFactory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kafka} sink (options in {@link KafkaOptions}; guarantees in {@link DeliveryGuarantee}).
 *
 * <p>Exactly-once recovery ({@link #restoreWriter}): the restored state holds one
 * {@link WriterState} per subtask of the run that took the checkpoint. Whoever gets an element
 * commits its pre-committed transactions (the checkpoint promised them) and then aborts whatever is
 * still open under the ids of that element's namespace (started after the checkpoint, or by a
 * zombie). At the same parallelism subtask i gets exactly the element of old subtask i, so it
 * cleans its own namespace before writing; after a rescale the new subtasks write in namespaces of
 * the new parallelism (see {@link TransactionalIds}), which no element names, so the cleaning of old
 * namespaces by whichever subtask holds them (including those of subtasks a downscale removed) never
 * meets a new writer.
 */
@Component(property = SourceProvider.CONNECTOR + "=" + KafkaOptions.CONNECTOR)
public final class KafkaSinkProvider implements SinkProvider {

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

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkProvider.class);

    /** Checks the options, and for exactly-once asks the broker whether it allows the transaction timeout. */
    @Override
    public void validate(SinkDescriptor<?> descriptor) {
        SinkSettings settings = SinkSettings.of(descriptor, formats);
        if (settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            BrokerLimits.checkTransactionTimeout(settings);
        }
    }

    /** Refuses two exactly-once sinks with one transactional-id prefix: they would fence each other. */
    @Override
    public void validateJob(List<SinkDescriptor<?>> descriptors) {
        Map<String, String> topicsByPrefix = new HashMap<>();
        for (SinkDescriptor<?> descriptor : descriptors) {
            SinkSettings settings = SinkSettings.of(descriptor, formats);
            if (settings.guarantee() != DeliveryGuarantee.EXACTLY_ONCE) {
                continue;
            }
            String other = topicsByPrefix.putIfAbsent(settings.transactionalIdPrefix(), settings.topic());
            if (other != null) {
                throw new IllegalArgumentException("two exactly-once kafka sinks (to topics '" + other + "' and '" + settings.topic()
                        + "') use the transactional-id prefix '" + settings.transactionalIdPrefix() + "'; their transactions "
                        + "would fence each other. Give each sink its own '" + KafkaOptions.TRANSACTIONAL_ID_PREFIX + "'");
            }
        }
    }

    @Override
    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
        SinkSettings settings = SinkSettings.of(descriptor, formats);
        if (settings.guarantee() != DeliveryGuarantee.EXACTLY_ONCE) {
            return new PlainWriter<>(settings, subtask);
        }
        TransactionalWriter<T> writer = new TransactionalWriter<>(settings, subtask);
        // A run without state: nothing is promised, so anything open under this sink's ids is a leftover,
        // which initialising the writer's producers aborts.
        writer.initialiseProducers();
        if (subtask.subtaskIndex() == 0) {
            try {
                Transactions.abortForeignNamespaces(settings, subtask.parallelism(), subtask.toString());
            } catch (RuntimeException e) {
                writer.close(); // its producers are open already
                throw e;
            }
        }
        return writer;
    }

    /**
     * Commits what the restored elements promise and cleans their namespaces, then initialises the
     * writer's producers, which cleans this subtask's own namespace too.
     */
    @Override
    public <T> SinkWriter<T> restoreWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask, List<byte[]> state) {
        SinkSettings settings = SinkSettings.of(descriptor, formats);
        if (settings.guarantee() != DeliveryGuarantee.EXACTLY_ONCE) {
            if (!state.isEmpty()) {
                LOG.warn("{}: the checkpoint holds exactly-once transactions of this sink, but it now runs {}: committing "
                        + "what the checkpoint promised before going on", subtask, settings.guarantee());
                recover(settings, subtask, state);
            }
            return new PlainWriter<>(settings, subtask);
        }
        recover(settings, subtask, state);
        TransactionalWriter<T> writer = new TransactionalWriter<>(settings, subtask);
        // Initialising the producers aborts what is open in this subtask's own namespace (nothing, when a
        // restored element named that namespace and recover cleaned it).
        writer.initialiseProducers();
        return writer;
    }

    private static void recover(SinkSettings settings, SubtaskInfo subtask, List<byte[]> state) {
        for (byte[] element : state) {
            WriterState old = WriterState.fromBytes(element, subtask.operatorName());
            List<Committable> promised = new ArrayList<>(old.pending());
            promised.sort(Comparator.comparingLong(Committable::checkpointId));
            for (Committable committable : promised) {
                Transactions.commitRecovered(settings, committable, subtask.toString());
            }
            Transactions.abortAll(settings, old.namespace(), subtask.toString());
        }
    }
}
