package io.runnel.connectors.kafka.internal;

import io.runnel.connectors.kafka.KafkaOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/** What the broker allows, asked when a job is submitted. */
final class BrokerLimits {

    static final String MAX_TIMEOUT = "transaction.max.timeout.ms";
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(20);

    private BrokerLimits() {}

    /**
     * Refuses a transaction timeout above the broker's {@code transaction.max.timeout.ms}: every
     * producer of the sink would fail at start, or worse, a lower limit would abort pre-committed
     * transactions.
     *
     * @throws IllegalArgumentException naming both values, or saying the broker cannot be asked
     */
    static void checkTransactionTimeout(SinkSettings settings) {
        long maximum;
        try (Admin admin = KafkaClients.admin(Transactions.adminProperties(settings))) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("the Kafka cluster at '" + settings.bootstrapServers() + "' lists no brokers");
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(nodes.iterator().next().id()));
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(broker)).all()
                    .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ConfigEntry entry = configs.get(broker).get(MAX_TIMEOUT);
            if (entry == null || entry.value() == null) {
                return; // the broker does not say: Kafka itself refuses the producers if it is too long
            }
            maximum = Long.parseLong(entry.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while asking the Kafka broker for " + MAX_TIMEOUT, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalArgumentException("cannot ask the Kafka cluster at '" + settings.bootstrapServers() + "' for its "
                    + MAX_TIMEOUT + " (to check '" + KafkaOptions.TRANSACTION_TIMEOUT + "'): " + e
                    + ". Check '" + KafkaOptions.BOOTSTRAP_SERVERS + "' and that the brokers run", e);
        }
        long wanted = settings.transactionTimeout().toMillis();
        if (wanted > maximum) {
            throw new IllegalArgumentException("'" + KafkaOptions.TRANSACTION_TIMEOUT + "' is " + wanted + " ms, but the broker "
                    + "allows at most " + maximum + " ms (" + MAX_TIMEOUT + "). Lower '" + KafkaOptions.TRANSACTION_TIMEOUT
                    + "' to at most " + maximum + "ms, or raise " + MAX_TIMEOUT + " on the brokers");
        }
    }
}
