package io.runnel.api.types;

import static io.runnel.api.types.SerializerTesting.read;
import static io.runnel.api.types.SerializerTesting.roundTrip;
import static io.runnel.api.types.SerializerTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.tuple.Tuple2;
import io.runnel.api.tuple.Tuple3;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DynamicSerializerTest {

    public record Sensor(String id, double value) {
    }

    /**
     * Defines its own copy of the named classes from their class files, as a bundle's class loader owns
     * the bundle's classes; everything else comes from the parent. Records the names it was asked for.
     */
    static final class IsolatingClassLoader extends ClassLoader {

        private final Set<String> isolated;
        final List<String> requested = Collections.synchronizedList(new ArrayList<>());

        IsolatingClassLoader(ClassLoader parent, String... isolated) {
            super("isolating", parent);
            this.isolated = Set.of(isolated);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            if (!isolated.contains(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return loaded;
            }
        }
    }

    private final ClassLoader testLoader = getClass().getClassLoader();

    @Test
    void classNamesAreResolvedWithTheGivenClassLoader() throws ReflectiveOperationException {
        IsolatingClassLoader bundleLoader = new IsolatingClassLoader(testLoader, Sensor.class.getName());
        Sensor sensor = new Sensor("s-1", 21.5);
        byte[] bytes = write(Types.dynamic(testLoader), sensor);

        Object read = read(Types.dynamic(bundleLoader), bytes);

        assertThat(bundleLoader.requested).contains(Sensor.class.getName());
        assertThat(read.getClass()).isNotSameAs(Sensor.class);
        assertThat(read.getClass().getName()).isEqualTo(Sensor.class.getName());
        assertThat(read.getClass().getClassLoader()).isSameAs(bundleLoader);
        // Through the accessors: the isolated copy cannot run its record toString, whose nest host (this
        // test class) belongs to another loader.
        assertThat(read.getClass().getMethod("id").invoke(read)).isEqualTo("s-1");
        assertThat(read.getClass().getMethod("value").invoke(read)).isEqualTo(21.5);

        // Elements of an Object[] too, although Object's own loader sees no job classes.
        Object[] array = (Object[]) read(Types.dynamic(bundleLoader), write(Types.dynamic(testLoader), new Object[] {sensor}));
        assertThat(array[0].getClass().getClassLoader()).isSameAs(bundleLoader);
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void builtInGenericTypesCanBeGivenTheJobsClassLoader() {
        IsolatingClassLoader bundleLoader = new IsolatingClassLoader(testLoader, Sensor.class.getName());
        byte[] bytes = write((TypeSerializer) Types.of(Tuple2.class), Tuple2.of("k", new Sensor("s", 1)));

        Tuple2<?, ?> read = read(Types.of(Tuple2.class, bundleLoader), bytes);

        assertThat(read.f0()).isEqualTo("k");
        assertThat(read.f1().getClass().getClassLoader()).isSameAs(bundleLoader);
    }

    @Test
    void aClassTheLoaderDoesNotSeeIsReportedByName() {
        byte[] bytes = write(Types.dynamic(testLoader), new Sensor("s", 1));
        ClassLoader blind = new ClassLoader("blind", null) {
        };
        assertThatThrownBy(() -> read(Types.dynamic(blind), bytes))
                .hasRootCauseInstanceOf(ClassNotFoundException.class)
                .hasMessageContaining(Sensor.class.getName())
                .hasMessageContaining("does not see it");
    }

    @Test
    void builtInTypesCostOneTagByte() {
        TypeSerializer<Object> dynamic = Types.dynamic(testLoader);
        assertThat(write(dynamic, 7)).hasSize(1 + 4);
        assertThat(write(dynamic, "ab")).hasSize(1 + 1 + 2);
        assertThat(write(dynamic, null)).hasSize(1);
        assertThat(write(dynamic, new long[] {1})).hasSize(1 + 1 + 8);
    }

    @Test
    void valuesOfEveryKindRoundTrip() {
        TypeSerializer<Object> dynamic = Types.dynamic(testLoader);
        for (Object value : List.of(true, (byte) 1, (short) 2, 3, 4L, 5f, 6d, 'c', "s", new char[] {'x'},
                new java.math.BigDecimal("1.5"), java.time.LocalDate.of(2020, 1, 1), java.util.UUID.randomUUID(),
                List.of(1, "a"), Map.of("k", 1L), Tuple3.of(1, null, "x"), new Sensor("s", 2), new Sensor[] {null},
                new int[][] {{1}}, Thread.State.RUNNABLE)) {
            assertThat(roundTrip(dynamic, value)).usingRecursiveComparison().isEqualTo(value);
        }
    }

    @Test
    void aValueOfAnUnsupportedClassIsRefusedWhenWritten() {
        assertThatThrownBy(() -> write(Types.dynamic(testLoader), new StringBuilder("sb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(StringBuilder.class.getName());
    }

    public record Holder(Object value) {
    }

    @Test
    void aBareObjectIsRefusedNamingItsClassInsteadOfOverflowingTheStack() {
        TypeSerializer<Object> dynamic = Types.dynamic(testLoader);
        Object bare = new Object();
        assertThatThrownBy(() -> write(dynamic, bare))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object")
                .hasMessageContaining("Store a value of a concrete type");
        assertThatThrownBy(() -> dynamic.copy(bare))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        // The same where the dynamic serializer is reached through a field or a container.
        assertThatThrownBy(() -> write(Types.of(Holder.class), new Holder(bare)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> write(dynamic, List.of(1, bare)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        TypeSerializer<Object> dynamic = Types.dynamic(testLoader);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        Sensor sensor = new Sensor("t" + thread, i);
                        assertThat(read(dynamic, write(dynamic, List.of(sensor, i)))).isEqualTo(List.of(sensor, i));
                    }
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theDynamicSchemaReadsOnlyDynamicValues() {
        TypeSerializer<Object> dynamic = Types.dynamic(testLoader);
        assertThat(dynamic.readerFor(TypeSchema.dynamic())).isSameAs(dynamic);
        assertThatThrownBy(() -> dynamic.readerFor(Types.STRING.schema()))
                .isInstanceOf(IncompatibleSchemaException.class);
    }
}
