package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.SavepointRestore;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.types.avro.AvroSerializers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyed state whose type changed between two versions of a job, restored through a real
 * stop-with-savepoint and a new job started from it.
 *
 * <p>Each version of the POJO state type has the same class name, {@code io.runnel.evolution.Tally},
 * and is compiled from source here into a directory of its own and loaded by a class loader of its
 * own, as two builds of a job's bundle would be. The job code itself (source, key, the process
 * function) is shared: it makes, updates and prints a {@code Tally} only through reflection, so that
 * it works with whichever version it is given. The Avro versions are generic records under three
 * schemas.
 *
 * <p>Every version sets {@code writtenBy} once, when a key's tally is new. The resumed job printing
 * {@code writtenBy=v1} for every key therefore proves that the old values were carried over,
 * however far the first job got before it stopped. Incompatible versions must be refused with a
 * message naming the state, its operator's uid and the field, and without restarting the job.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StateSchemaEvolutionTest {

    private static final long COUNT = 30_000;
    private static final long RATE = 15_000;
    private static final String STATE = "tally";
    private static final String UID = "tallies";

    /** Version 1: fields count, label, sum and writtenBy. */
    private static final String POJO_V1 = """
            package io.runnel.evolution;
            public class Tally {
                public long count;
                public String label;
                public long sum;
                public String writtenBy;
                public void add(long value) {
                    if (writtenBy == null) {
                        writtenBy = "v1";
                    }
                    count++;
                    sum += value;
                    label = "last " + value;
                }
                @Override
                public String toString() {
                    return "count=" + count + " label=" + label + " sum=" + sum + " writtenBy=" + writtenBy;
                }
            }
            """;

    /**
     * Version 2: {@code label} removed (it sits between kept fields, so its bytes must be skipped
     * exactly), {@code unit} added with a value its constructor gives.
     */
    private static final String POJO_V2 = """
            package io.runnel.evolution;
            public class Tally {
                public long count;
                public long sum;
                public String unit = "records";
                public String writtenBy;
                public void add(long value) {
                    if (writtenBy == null) {
                        writtenBy = "v2";
                    }
                    count++;
                    sum += value;
                }
                @Override
                public String toString() {
                    return "count=" + count + " sum=" + sum + " unit=" + unit + " writtenBy=" + writtenBy;
                }
            }
            """;

    /** Version 3: {@code count} became a String, which a long's bytes cannot be read as. */
    private static final String POJO_V3_INCOMPATIBLE = """
            package io.runnel.evolution;
            public class Tally {
                public String count;
                public long sum;
                public String writtenBy;
                public void add(long value) {
                    if (writtenBy == null) {
                        writtenBy = "v3";
                    }
                    count = String.valueOf(count == null ? 1 : Long.parseLong(count) + 1);
                    sum += value;
                }
                @Override
                public String toString() {
                    return "count=" + count + " sum=" + sum + " writtenBy=" + writtenBy;
                }
            }
            """;

    private static final String AVRO_V1 = """
            {"type": "record", "name": "Tally", "namespace": "io.runnel.evolution", "fields": [
              {"name": "count", "type": "long"},
              {"name": "label", "type": "string"},
              {"name": "sum", "type": "long"},
              {"name": "writtenBy", "type": "string"}]}
            """;

    /** {@code label} removed; {@code unit} added with a default, which Avro's resolution fills in. */
    private static final String AVRO_V2 = """
            {"type": "record", "name": "Tally", "namespace": "io.runnel.evolution", "fields": [
              {"name": "count", "type": "long"},
              {"name": "sum", "type": "long"},
              {"name": "unit", "type": "string", "default": "records"},
              {"name": "writtenBy", "type": "string"}]}
            """;

    /** {@code count} became a string, which Avro does not promote a long to. */
    private static final String AVRO_V3_INCOMPATIBLE = """
            {"type": "record", "name": "Tally", "namespace": "io.runnel.evolution", "fields": [
              {"name": "count", "type": "string"},
              {"name": "sum", "type": "long"},
              {"name": "writtenBy", "type": "string"}]}
            """;

    /**
     * The POJO classes of each version, by a name the process function carries: the function is
     * copied through Java serialization with the test's class loader, which cannot resolve a
     * {@code Class} field naming a class only a version's loader sees.
     */
    static final Map<String, Class<?>> VERSIONS = new ConcurrentHashMap<>();

    /** Numbers tallied so far by every subtask of every version, so that the first job stops with state. */
    static final AtomicLong TALLIED = new AtomicLong();

    @TempDir
    Path directory;

    /** Two slots at parallelism 2, checkpoints on, and the default restart strategy (restarts without end). */
    private LocalStreamEnvironment environment(ClassLoader jobClassLoader) {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("datagen", new DatagenSource())
                .withSink(TransactionalTestSink.CONNECTOR, new TransactionalTestSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 2);
        env.setParallelism(2);
        env.enableCheckpointing(Duration.ofMillis(50));
        env.getCheckpointConfig().setDirectory(directory.resolve("checkpoints").toString());
        env.setJobClassLoader(jobClassLoader);
        return env;
    }

    /** Numbers with event time, keyed by their remainder by 3, tallied per key; each tally printed at the end. */
    private static void tallyJob(LocalStreamEnvironment env, KeyedProcessFunction<Long, Long, String> tally,
            String output) {
        env.fromSource(Sources.generator(COUNT, RATE, i -> i), "numbers").uid("numbers")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((value, previous) -> value)).uid("timestamps")
                .keyBy(value -> value % 3)
                .process(tally).uid(UID)
                .sinkTo(TransactionalTestSink.into(output), "sink").uid("sink");
    }

    /** Runs version 1 of the job for a while and stops it with a savepoint, whose path it returns. */
    private String runFirstVersionAndStop(ClassLoader loader, KeyedProcessFunction<Long, Long, String> tally,
            String output) throws Exception {
        LocalStreamEnvironment env = environment(loader);
        tallyJob(env, tally, output);
        TALLIED.set(0);
        LocalJob first = env.submit(output + " v1");
        await().atMost(Duration.ofSeconds(20)).until(() -> TALLIED.get() >= 3000); // a tenth of the input
        String savepoint = first.stopWithSavepoint(false, directory.resolve("savepoints").toString())
                .get(30, TimeUnit.SECONDS);
        assertThat(first.result().get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(TransactionalTestSink.committed(output)).as("tallies print only when the input ends").isEmpty();
        return savepoint;
    }

    /** Starts the next version of the job from {@code savepoint}. */
    private LocalJob resume(String savepoint, ClassLoader loader, KeyedProcessFunction<Long, Long, String> tally,
            String output) throws Exception {
        LocalStreamEnvironment env = environment(loader);
        env.setSavepointRestore(new SavepointRestore(savepoint, false));
        tallyJob(env, tally, output);
        return env.submit(output + " next");
    }

    /** The sum of the numbers whose remainder by 3 is {@code key}: what its tally holds at the end. */
    private static long sumOfKey(long key) {
        return LongStream.range(0, COUNT).filter(i -> i % 3 == key).sum();
    }

    @Test
    void aPojoStateWithAFieldAddedAndOneRemovedRestoresFromASavepointOfTheOldClass() throws Exception {
        ClassLoader v1 = compile("pojo-v1", POJO_V1);
        ClassLoader v2 = compile("pojo-v2", POJO_V2);
        assertThat(VERSIONS.get("pojo-v1").getName()).as("the same class, in another version")
                .isEqualTo(VERSIONS.get("pojo-v2").getName());

        String savepoint = runFirstVersionAndStop(v1, new PojoTally("pojo-v1"), "pojo");
        JobResult resumed = resume(savepoint, v2, new PojoTally("pojo-v2"), "pojo")
                .result().get(60, TimeUnit.SECONDS);

        assertThat(resumed.status()).as("%s", resumed.failure()).isEqualTo(JobStatus.FINISHED);
        assertThat(TransactionalTestSink.committed("pojo")).containsExactlyInAnyOrder(
                "0 count=10000 sum=" + sumOfKey(0) + " unit=records writtenBy=v1",
                "1 count=10000 sum=" + sumOfKey(1) + " unit=records writtenBy=v1",
                "2 count=10000 sum=" + sumOfKey(2) + " unit=records writtenBy=v1");
    }

    @Test
    void anAvroStateWithAFieldAddedAndOneRemovedRestoresFromASavepointOfTheOldSchema() throws Exception {
        ClassLoader loader = StateSchemaEvolutionTest.class.getClassLoader();
        String savepoint = runFirstVersionAndStop(loader, new AvroTally(AVRO_V1, "v1"), "avro");
        JobResult resumed = resume(savepoint, loader, new AvroTally(AVRO_V2, "v2"), "avro")
                .result().get(60, TimeUnit.SECONDS);

        assertThat(resumed.status()).as("%s", resumed.failure()).isEqualTo(JobStatus.FINISHED);
        assertThat(TransactionalTestSink.committed("avro")).containsExactlyInAnyOrder(
                "0 {\"count\": 10000, \"sum\": " + sumOfKey(0) + ", \"unit\": \"records\", \"writtenBy\": \"v1\"}",
                "1 {\"count\": 10000, \"sum\": " + sumOfKey(1) + ", \"unit\": \"records\", \"writtenBy\": \"v1\"}",
                "2 {\"count\": 10000, \"sum\": " + sumOfKey(2) + ", \"unit\": \"records\", \"writtenBy\": \"v1\"}");
    }

    @Test
    void aPojoFieldWhoseTypeChangedIncompatiblyIsRefusedNamingTheStateAndTheField() throws Exception {
        ClassLoader v1 = compile("pojo-v1", POJO_V1);
        ClassLoader v3 = compile("pojo-v3", POJO_V3_INCOMPATIBLE);
        String savepoint = runFirstVersionAndStop(v1, new PojoTally("pojo-v1"), "pojo refused");

        LocalJob job = resume(savepoint, v3, new PojoTally("pojo-v3"), "pojo refused");
        JobResult refused;
        try {
            refused = job.result().get(30, TimeUnit.SECONDS);
        } finally {
            job.cancel(); // if it is still restarting, so that it does not outlive the test
        }

        assertThat(refused.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.restarts()).as("restarting cannot help, so the job fails at once").isZero();
        assertThat(refused.failure()).isNotNull();
        assertThat(refused.failure().getMessage())
                .contains("State '" + STATE + "' of the operator with uid '" + UID + "' cannot be restored")
                .contains("io.runnel.evolution.Tally", "field 'count' was written as LONG and is now STRING")
                .contains("give its descriptor a new name")
                .contains("Change the field back");
        assertThat(TransactionalTestSink.committed("pojo refused")).isEmpty();
    }

    @Test
    void aStateGivenANewNameStartsEmptyAsTheRefusalAdvises() throws Exception {
        ClassLoader v1 = compile("pojo-v1", POJO_V1);
        ClassLoader v3 = compile("pojo-v3", POJO_V3_INCOMPATIBLE);
        String savepoint = runFirstVersionAndStop(v1, new PojoTally("pojo-v1"), "renamed");

        JobResult resumed = resume(savepoint, v3, new PojoTally("pojo-v3", STATE + "-v3"), "renamed")
                .result().get(60, TimeUnit.SECONDS);

        assertThat(resumed.status()).as("%s", resumed.failure()).isEqualTo(JobStatus.FINISHED);
        List<String> tallies = TransactionalTestSink.committed("renamed");
        assertThat(tallies).hasSize(3).allSatisfy(line -> assertThat(line).endsWith(" writtenBy=v3"));
        assertThat(tallies).as("only the records after the savepoint").noneMatch(line -> line.contains("count=10000 "));
    }

    @Test
    void anAvroFieldWhoseTypeChangedIncompatiblyIsRefusedNamingTheStateAndTheField() throws Exception {
        ClassLoader loader = StateSchemaEvolutionTest.class.getClassLoader();
        String savepoint = runFirstVersionAndStop(loader, new AvroTally(AVRO_V1, "v1"), "avro refused");

        LocalJob job = resume(savepoint, loader, new AvroTally(AVRO_V3_INCOMPATIBLE, "v3"), "avro refused");
        JobResult refused;
        try {
            refused = job.result().get(30, TimeUnit.SECONDS);
        } finally {
            job.cancel(); // if it is still restarting, so that it does not outlive the test
        }

        assertThat(refused.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.restarts()).as("restarting cannot help, so the job fails at once").isZero();
        assertThat(refused.failure()).isNotNull();
        assertThat(refused.failure().getMessage())
                .contains("State '" + STATE + "' of the operator with uid '" + UID + "' cannot be restored")
                .contains("io.runnel.evolution.Tally", "field 'count' was written as LONG and is now STRING")
                .contains("give its descriptor a new name")
                .contains("Make the Avro schema change compatible");
        assertThat(TransactionalTestSink.committed("avro refused")).isEmpty();
    }

    /**
     * Compiles {@code source} (the class {@code io.runnel.evolution.Tally}) into a directory of its
     * own, registers the class under {@code version} and returns the class loader that loads it.
     */
    private ClassLoader compile(String version, String source) throws IOException, ClassNotFoundException {
        Path sources = directory.resolve(version + "-sources");
        Path classes = directory.resolve(version + "-classes");
        Path file = sources.resolve("io/runnel/evolution/Tally.java");
        Files.createDirectories(file.getParent());
        Files.createDirectories(classes);
        Files.writeString(file, source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK's compiler, to build the versions of the state class").isNotNull();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = compiler.run(null, null, new PrintStream(errors, true, StandardCharsets.UTF_8),
                "-d", classes.toString(), file.toString());
        assertThat(exit).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
        URLClassLoader loader = new URLClassLoader(version, new URL[] {classes.toUri().toURL()},
                StateSchemaEvolutionTest.class.getClassLoader());
        VERSIONS.put(version, loader.loadClass("io.runnel.evolution.Tally"));
        return loader;
    }

    /**
     * Tallies each key's numbers in a POJO {@code Tally} of the given version, through its
     * {@code add(long)}; prints "key tally" when event time ends.
     */
    static final class PojoTally extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private final String version;
        private final String stateName;
        private transient Class<Object> type;
        private transient ValueState<Object> tally;

        PojoTally(String version) {
            this(version, STATE);
        }

        PojoTally(String version, String stateName) {
            this.version = version;
            this.stateName = stateName;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void open(RuntimeContext context) {
            type = (Class<Object>) VERSIONS.get(version);
            tally = context.getState(new ValueStateDescriptor<>(stateName, type));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) throws Exception {
            Object current = tally.value();
            if (current == null) {
                current = type.getConstructor().newInstance();
            }
            type.getMethod("add", long.class).invoke(current, value);
            tally.update(current);
            TALLIED.incrementAndGet();
            context.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            out.collect(context.getCurrentKey() + " " + tally.value());
        }
    }

    /**
     * Tallies each key's numbers in an Avro generic record of the given schema; prints "key record"
     * (Avro's JSON form) when event time ends. {@code label}, if the schema has it, holds the last number.
     */
    static final class AvroTally extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private final String schemaJson;
        private final String version;
        private transient Schema schema;
        private transient ValueState<GenericRecord> tally;

        AvroTally(String schemaJson, String version) {
            this.schemaJson = schemaJson;
            this.version = version;
        }

        @Override
        public void open(RuntimeContext context) {
            schema = new Schema.Parser().parse(schemaJson);
            tally = context.getState(new ValueStateDescriptor<>(STATE, AvroSerializers.generic(schema)));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) {
            GenericRecord current = tally.value();
            if (current == null) {
                current = new GenericData.Record(schema);
                current.put("count", 0L);
                current.put("sum", 0L);
                current.put("writtenBy", version);
                setIfPresent(current, "unit", "records");
            }
            current.put("count", (Long) current.get("count") + 1);
            current.put("sum", (Long) current.get("sum") + value);
            setIfPresent(current, "label", "last " + value);
            tally.update(current);
            TALLIED.incrementAndGet();
            context.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
        }

        private void setIfPresent(GenericRecord record, String field, Object value) {
            if (schema.getField(field) != null) {
                record.put(field, value);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            out.collect(context.getCurrentKey() + " " + tally.value());
        }
    }
}
