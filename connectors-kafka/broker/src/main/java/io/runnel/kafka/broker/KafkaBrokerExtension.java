package io.runnel.kafka.broker;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker per test class (JUnit 5): started before the first test, killed and its
 * data deleted after the last.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 *
 * &#64;Test
 * void reads() {
 *     String bootstrap = KAFKA.bootstrapServers();
 * }
 * </pre>
 *
 * Register it on a {@code static} field; on an instance field it would start a broker per test.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<KafkaBroker.Builder> configuration;
    private KafkaBroker broker;

    public KafkaBrokerExtension() {
        this(builder -> {});
    }

    /** @param configuration adjusts the broker before it starts (broker properties, heap) */
    public KafkaBrokerExtension(Consumer<KafkaBroker.Builder> configuration) {
        this.configuration = configuration;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        KafkaBroker.Builder builder = KafkaBroker.builder();
        configuration.accept(builder);
        broker = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker. */
    public KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("The Kafka broker runs only between beforeAll and afterAll: register the "
                    + "extension on a static field with @RegisterExtension");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }
}
