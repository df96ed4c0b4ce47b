package io.runnel.connectors.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.MapFunction;
import io.runnel.api.functions.ProcessFunction;
import io.runnel.api.serialization.MalformedRecordException;
import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.connectors.kafka.KafkaRecord;
import io.runnel.connectors.kafka.KafkaSink;
import io.runnel.connectors.kafka.KafkaSource;
import io.runnel.kafka.broker.KafkaBrokerExtension;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The kafka source against a real broker, in jobs run by the local runtime. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaSourceTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path directory;

    private KafkaTestTopics topics() {
        return new KafkaTestTopics(KAFKA.bootstrapServers());
    }

    private LocalStreamEnvironment environment(int parallelism) {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new HeapStateBackendFactory()).withSource("kafka", new KafkaSourceProvider())
                .withSink("kafka", new KafkaSinkProvider()).withSink(CollectingSink.CONNECTOR, new CollectingSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(parallelism);
        env.getCheckpointConfig().setDirectory(directory.resolve("checkpoints").toString());
        return env;
    }

    private static KafkaSource<String> strings(String topic) {
        return KafkaSource.strings().bootstrapServers(KAFKA.bootstrapServers()).topics(topic);
    }

    /** Waits up to 60 s for {@code condition}. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 60 s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void boundedModeReadsThePartitionsAsTheyWereAtStartAndFinishes() throws Exception {
        topics().create("bounded", 3);
        topics().produce("bounded", KafkaTestTopics.numbered("b", 0, 300));
        LocalStreamEnvironment env = environment(2);
        env.fromSource(strings("bounded").startFromEarliest().bounded().build(), "kafka")
                .sinkTo(CollectingSink.into("bounded"), "collect");

        JobResult result = env.executeAsync("bounded").result().get(60, TimeUnit.SECONDS);

        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);
        List<String> collected = CollectingSink.collected("bounded");
        assertThat(collected).hasSize(300).containsExactlyInAnyOrderElementsOf(KafkaTestTopics.numbered("b", 0, 300));
    }

    /** Slows records down so that checkpoints complete while the job runs. */
    static final class Slow implements MapFunction<String, String>, Serializable {
        private static final long serialVersionUID = 1L;

        static final java.util.concurrent.atomic.AtomicLong PASSED = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public String map(String value) throws InterruptedException {
            Thread.sleep(1);
            PASSED.incrementAndGet();
            return value;
        }
    }

    /**
     * Kafka to Kafka with a task failure in the middle: the restarted source resumes from the
     * checkpointed offsets (not from the start, not from the group) and the exactly-once sink commits
     * what the checkpoint promised, so the output holds every input record once. The group sees the
     * checkpointed offsets, for tooling.
     */
    @Test
    void aRestartedJobResumesFromTheCheckpointedOffsetsAndCommitsThemToTheGroup() throws Exception {
        topics().create("restore-in", 4);
        topics().create("restore-out", 2);
        topics().produce("restore-in", KafkaTestTopics.numbered("r", 0, 2000));
        LocalStreamEnvironment env = environment(2);
        env.enableCheckpointing(Duration.ofMillis(100));
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(50)));
        env.fromSource(strings("restore-in").groupId("restore").startFromEarliest().bounded().build(), "kafka")
                .map(new Slow())
                .map(new FailOnce<>("restore", "r1234"))
                .sinkTo(KafkaSink.<String>strings().bootstrapServers(KAFKA.bootstrapServers()).topic("restore-out")
                        .exactlyOnce("restore").transactionTimeout(Duration.ofMinutes(5)).build(), "out");

        JobResult result = env.executeAsync("restore").result().get(120, TimeUnit.SECONDS);

        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(FailOnce.failed("restore")).isTrue();
        assertThat(KafkaTestTopics.values(topics().readCommitted("restore-out", 2000))).hasSize(2000)
                .containsExactlyInAnyOrderElementsOf(KafkaTestTopics.numbered("r", 0, 2000));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("restore")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed).as("offsets of completed checkpoints reach the group").isNotEmpty();
            committed.values().forEach(offset -> assertThat(offset.offset()).isBetween(0L, 2000L));
        }
    }

    /**
     * Rescaling through a savepoint: every reader of the resumed job sees the splits of all old
     * readers and keeps the partitions it owns at the new parallelism, so nothing is read twice or
     * skipped.
     */
    @Test
    void aJobRescaledFromTwoToThreeThroughASavepointReadsEveryRecordOnce() throws Exception {
        topics().create("rescale-in", 5);
        topics().create("rescale-out", 1);
        topics().produce("rescale-in", KafkaTestTopics.numbered("s", 0, 1500));
        String savepoint = null;
        for (int parallelism : new int[] {2, 3}) {
            LocalStreamEnvironment env = environment(parallelism);
            env.enableCheckpointing(Duration.ofMillis(100));
            if (savepoint != null) {
                env.setSavepointRestore(new io.runnel.api.stream.SavepointRestore(savepoint, false));
            }
            env.fromSource(strings("rescale-in").startFromEarliest().bounded().build(), "kafka").uid("in")
                    .map(new Slow()).uid("slow")
                    .sinkTo(KafkaSink.<String>strings().bootstrapServers(KAFKA.bootstrapServers()).topic("rescale-out")
                            .exactlyOnce("rescale").transactionTimeout(Duration.ofMinutes(5)).build(), "out").uid("out");
            JobClient job = env.executeAsync("rescale at " + parallelism);
            if (savepoint == null) {
                Slow.PASSED.set(0);
                await("a part of the input to pass", () -> Slow.PASSED.get() >= 400);
                savepoint = job.stopWithSavepoint(false, directory.resolve("savepoints").toString()).get(60, TimeUnit.SECONDS);
            }
            assertThat(job.result().get(120, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        }
        assertThat(KafkaTestTopics.values(topics().readCommitted("rescale-out", 1500))).hasSize(1500)
                .containsExactlyInAnyOrderElementsOf(KafkaTestTopics.numbered("s", 0, 1500));
    }

    @Test
    void aPartitionAddedWhileTheJobRunsIsFoundAndReadFromItsStart() throws Exception {
        topics().create("growing", 1);
        topics().produce("growing", KafkaTestTopics.numbered("g", 0, 10));
        LocalStreamEnvironment env = environment(2);
        env.fromSource(strings("growing").startFromEarliest().partitionDiscoveryInterval(Duration.ofMillis(200)).build(),
                "kafka").sinkTo(CollectingSink.into("growing"), "collect");
        JobClient job = env.executeAsync("growing");
        try {
            await("the first partition's records", () -> CollectingSink.collected("growing").size() == 10);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
                admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
            }
            topics().produceTo("growing", 1, KafkaTestTopics.numbered("g", 10, 15));
            topics().produceTo("growing", 2, KafkaTestTopics.numbered("g", 15, 20));
            await("the new partitions' records", () -> CollectingSink.collected("growing").size() >= 20);
            assertThat(CollectingSink.<String>collected("growing"))
                    .containsExactlyInAnyOrderElementsOf(KafkaTestTopics.numbered("g", 0, 20));
        } finally {
            job.cancel();
            job.result().get(30, TimeUnit.SECONDS);
        }
    }

    /** Values starting with "bad" are not records of this format. */
    static final class Picky implements RecordDeserializer<String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String deserialize(byte[] bytes) throws MalformedRecordException {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.startsWith("bad")) {
                throw new MalformedRecordException("'" + text + "' is not a good record");
            }
            return text;
        }
    }

    @Test
    void undeserializableRecordsGoToTheDeadLetterTopicWithTheirBytesAndTheReason() throws Exception {
        topics().create("mixed", 1);
        topics().create("mixed-dead", 1);
        topics().produce("mixed", List.of("ok-1", "bad-1", "ok-2", "bad-2", "ok-3"));
        LocalStreamEnvironment env = environment(1);
        env.fromSource(KafkaSource.values(new Picky()).bootstrapServers(KAFKA.bootstrapServers()).topics("mixed")
                .startFromEarliest().bounded().deadLetterTopic("mixed-dead").build(), "kafka")
                .sinkTo(CollectingSink.into("mixed"), "collect");

        JobResult result = env.executeAsync("dead letters").result().get(60, TimeUnit.SECONDS);

        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(CollectingSink.<String>collected("mixed")).containsExactly("ok-1", "ok-2", "ok-3");
        List<ConsumerRecord<byte[], byte[]>> dead = topics().readCommitted("mixed-dead", 2);
        assertThat(KafkaTestTopics.values(dead)).containsExactly("bad-1", "bad-2");
        ConsumerRecord<byte[], byte[]> first = dead.get(0);
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("bad-1");
        assertThat(header(first, DeadLetters.REASON)).contains("'bad-1' is not a good record");
        assertThat(header(first, DeadLetters.TOPIC)).isEqualTo("mixed");
        assertThat(header(first, DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(header(first, DeadLetters.OFFSET)).isEqualTo("1");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void anUndeserializableRecordFailsTheJobNamingItsTopicPartitionAndOffset() throws Exception {
        topics().create("strict", 1);
        topics().produce("strict", List.of("ok-1", "ok-2", "bad-1"));
        LocalStreamEnvironment env = environment(1);
        env.fromSource(KafkaSource.values(new Picky()).bootstrapServers(KAFKA.bootstrapServers()).topics("strict")
                .startFromEarliest().bounded().build(), "kafka")
                .sinkTo(CollectingSink.into("strict"), "collect");

        JobResult result = env.executeAsync("strict").result().get(60, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(rootMessages(result.failure())).contains("cannot deserialize the record at topic 'strict', partition 0, offset 2")
                .contains("'bad-1' is not a good record");
    }

    private static String rootMessages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void startsFromATimestampOrFromTheGroupsOffsetsWithAFallback() throws Exception {
        topics().create("starts", 2);
        Properties config = new Properties();
        config.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("starts", i % 2, 1_000L * i, "k", "s" + i));
            }
            producer.flush();
        }
        LocalStreamEnvironment byTime = environment(1);
        byTime.fromSource(strings("starts").startFromTimestamp(6_000).bounded().build(), "kafka")
                .sinkTo(CollectingSink.into("by-time"), "collect");
        assertThat(byTime.executeAsync("by time").result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(CollectingSink.<String>collected("by-time")).containsExactlyInAnyOrder("s6", "s7", "s8", "s9");

        // The group committed partition 0 up to offset 3 (s6 is next there); partition 1 has no offset: earliest.
        Properties consumerConfig = new Properties();
        consumerConfig.put("bootstrap.servers", KAFKA.bootstrapServers());
        consumerConfig.put("group.id", "starts");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition("starts", 0), new OffsetAndMetadata(3)));
        }
        LocalStreamEnvironment byGroup = environment(1);
        byGroup.fromSource(strings("starts").groupId("starts").startFromGroupOffsets("earliest").bounded().build(), "kafka")
                .sinkTo(CollectingSink.into("by-group"), "collect");
        assertThat(byGroup.executeAsync("by group").result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(CollectingSink.<String>collected("by-group")).containsExactlyInAnyOrder("s6", "s8", "s1", "s3", "s5", "s7", "s9");
    }

    /** Emits each record's key, value, partition and the timestamp the job sees on it. */
    static final class Describe extends ProcessFunction<KafkaRecord<String, String>, String> {
        @Override
        public void processElement(KafkaRecord<String, String> record, Context context, Collector<String> out) {
            out.collect(record.key() + "=" + record.value() + "@" + record.partition() + "/" + context.timestamp());
        }
    }

    @Test
    void recordsCarryTheirKafkaTimestamps() throws Exception {
        topics().create("stamped", 1);
        Properties config = new Properties();
        config.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("stamped", 0, 42_000L, "a", "one"));
            producer.send(new ProducerRecord<>("stamped", 0, 43_000L, null, "two"));
            producer.flush();
        }
        LocalStreamEnvironment env = environment(1);
        RecordDeserializer<String> text = bytes -> bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        env.fromSource(KafkaSource.records(text, text).bootstrapServers(KAFKA.bootstrapServers()).topics("stamped")
                .startFromEarliest().bounded().build(), "kafka")
                .process(new Describe())
                .sinkTo(CollectingSink.into("stamped"), "collect");

        assertThat(env.executeAsync("stamped").result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(CollectingSink.<String>collected("stamped")).containsExactly("a=one@0/42000", "null=two@0/43000");
    }

    /** Counts the records of each one-second window. */
    static final class CountWindow extends ProcessWindowFunction<String, String, Integer, TimeWindow> {
        @Override
        public void process(Integer key, Context context, Iterable<String> values, Collector<String> out) {
            int count = 0;
            for (String ignored : values) {
                count++;
            }
            out.collect(context.window().start() + ":" + count);
        }
    }

    /**
     * Per-partition watermarks: partition 0 has records up to t=5 s, partition 1 none at all. With
     * an idle timeout the silent partition stops holding event time back and the windows of
     * partition 0 fire while the job still runs.
     */
    @Test
    void anIdlePartitionDoesNotHoldBackTheWatermarksOfTheOthers() throws Exception {
        topics().create("idle", 2);
        Properties config = new Properties();
        config.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i <= 5; i++) {
                producer.send(new ProducerRecord<>("idle", 0, 1_000L * i + 100, null, "e" + i));
            }
            producer.flush();
        }
        LocalStreamEnvironment env = environment(1);
        env.fromSource(strings("idle").startFromEarliest().watermarks(Duration.ZERO, Duration.ofMillis(300)).build(), "kafka")
                .keyBy(value -> 0)
                .window(TumblingWindows.<String>ofEventTime(Duration.ofSeconds(1)))
                .process(new CountWindow())
                .sinkTo(CollectingSink.into("idle"), "collect");
        JobClient job = env.executeAsync("idle");
        try {
            await("windows fired by the watermark of partition 0 alone",
                    () -> CollectingSink.collected("idle").size() >= 5);
            assertThat(CollectingSink.<String>collected("idle")).startsWith("0:1", "1000:1", "2000:1", "3000:1", "4000:1");
        } finally {
            job.cancel();
            job.result().get(30, TimeUnit.SECONDS);
        }
    }
}
