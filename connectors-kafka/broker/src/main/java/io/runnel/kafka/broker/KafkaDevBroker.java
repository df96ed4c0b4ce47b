package io.runnel.kafka.broker;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./runnel kafka-dev}: a broker for trying Runnel, in the foreground until Ctrl-C, which
 * stops it and deletes its data. Arguments: {@code [--port P]} (default 9092; 0 picks a free one).
 */
public final class KafkaDevBroker {

    private KafkaDevBroker() {}

    public static void main(String[] arguments) throws Exception {
        int port = 9092;
        for (int i = 0; i < arguments.length; i++) {
            if ("--port".equals(arguments[i]) && i + 1 < arguments.length) {
                String value = arguments[++i];
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    fail("--port needs a number from 0 to 65535, but got '" + value + "'");
                }
            } else {
                fail("unknown argument '" + arguments[i] + "'; usage: ./runnel kafka-dev [--port P]");
            }
        }
        KafkaBroker broker;
        try {
            broker = KafkaBroker.builder().port(port).longRunning().start();
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("runnel kafka-dev: stopping the broker and deleting " + broker.directory());
            broker.close();
            stopped.countDown();
        }, "kafka-dev-stop"));
        System.out.println("runnel kafka-dev: Kafka broker ready at " + broker.bootstrapServers() + " (KRaft, data in "
                + broker.directory() + "); Ctrl-C stops it and deletes the data");
        while (broker.isRunning()) {
            Thread.sleep(500);
        }
        if (stopped.getCount() > 0) {
            System.err.println("runnel kafka-dev: the broker exited by itself:\n" + broker.logTail(40));
            broker.close();
            System.exit(1);
        }
    }

    private static void fail(String message) {
        System.err.println("runnel kafka-dev: " + message);
        System.exit(2);
    }
}
