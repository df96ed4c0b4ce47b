package io.runnel.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The built bundle in a real Felix: RocksDB works inside it, and keeps working after the bundle is
 * updated and refreshed twice while the framework runs. Each revision loads its own copy of the
 * native library (the JVM refuses one file in two class loaders), and stopping a revision closes the
 * RocksDB instances it had open. With SCR, each revision registers the {@code rocksdb} state backend
 * service, and a backend made through it is closed when the revision stops.
 */
class BundleUpdateIT {

    @TempDir
    Path work;

    @Test
    void rocksDbWorksAfterEachOfTwoUpdates() throws Exception {
        Path bundleJar = Path.of(System.getProperty("runnel.bundle.rocksdb"));
        Path apiJar = Path.of(System.getProperty("runnel.bundle.api"));
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, work.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.start();
        try {
            Bundle api = framework.getBundleContext().installBundle(apiJar.toUri().toString());
            Bundle spi = framework.getBundleContext().installBundle(
                    Path.of(System.getProperty("runnel.bundle.spi")).toUri().toString());
            List<Bundle> scr = new java.util.ArrayList<>();
            for (String jar : System.getProperty("runnel.bundles.scr").split(",")) {
                scr.add(framework.getBundleContext().installBundle(Path.of(jar).toUri().toString()));
            }
            Bundle rocks = framework.getBundleContext().installBundle(bundleJar.toUri().toString());
            api.start();
            spi.start();
            for (Bundle bundle : scr) {
                bundle.start();
            }
            rocks.start();
            assertThat(rocks.getState()).isEqualTo(Bundle.ACTIVE);

            Object serviceBackend = useService(framework, api, spi, work.resolve("service-0"));
            Object backend = useRocksDb(rocks, api, work.resolve("run-0"));
            Class<?> firstRevisionClass = backend.getClass();
            for (int update = 1; update <= 2; update++) {
                try (InputStream jar = Files.newInputStream(bundleJar)) {
                    rocks.update(jar);
                }
                assertThat((Boolean) backend.getClass().getMethod("isClosed").invoke(backend))
                        .as("stopping the old revision closed its RocksDB instance").isTrue();
                assertThat(isClosed(serviceBackend, api, spi)).as("deactivating the old service closed its backend").isTrue();
                refresh(framework, rocks);
                assertThat(rocks.getState()).isEqualTo(Bundle.ACTIVE);
                serviceBackend = useService(framework, api, spi, work.resolve("service-" + update));
                backend = useRocksDb(rocks, api, work.resolve("run-" + update));
                assertThat(backend.getClass()).as("a new class loader").isNotSameAs(firstRevisionClass);
            }
            nativeCopiesMapped().forEach(path -> System.out.println("RocksDB native mapped from " + path));
            assertThat(nativeCopiesMapped()).as("each revision mapped its own copy of the native library").hasSizeGreaterThanOrEqualTo(3);
            rocks.stop();
            assertThat((Boolean) backend.getClass().getMethod("isClosed").invoke(backend)).isTrue();
        } finally {
            framework.stop();
            framework.waitForStop(30_000);
        }
    }

    /** Refreshes the bundle, so that the old revision goes, and waits (bounded) for the refresh to finish. */
    private static void refresh(Framework framework, Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).as("refresh finished").isTrue();
    }

    /**
     * Through the bundle's own classes: opens a backend, writes and reads a value, and returns the
     * backend still open (so the next update must close it).
     */
    private static Object useRocksDb(Bundle rocks, Bundle api, Path directory) throws Exception {
        Object strings = api.loadClass("io.runnel.api.types.Types").getField("STRING").get(null);
        Class<?> rangeClass = rocks.loadClass("io.runnel.state.rocksdb.internal.KeyGroupRange");
        Object range = rangeClass.getConstructor(int.class, int.class, int.class).newInstance(0, 127, 128);
        Class<?> optionsClass = rocks.loadClass("io.runnel.state.rocksdb.internal.RocksStateOptions");
        Object options = optionsClass.getMethod("defaults", Path.class).invoke(null, directory);
        Class<?> setupClass = rocks.loadClass("io.runnel.state.rocksdb.internal.BackendSetup");
        Constructor<?> setupConstructor = setupClass.getConstructors()[0];
        LongSupplier clock = System::currentTimeMillis;
        Object setup = setupConstructor.newInstance(directory.resolve("instance"), range, strings, null, clock, options, null);
        Class<?> backendClass = rocks.loadClass("io.runnel.state.rocksdb.internal.RocksKeyedStateBackend");
        Object backend = backendClass.getMethod("create", setupClass).invoke(null, setup);
        Class<?> descriptorClass = api.loadClass("io.runnel.api.state.ValueStateDescriptor");
        Object descriptor = descriptorClass.getConstructor(String.class, Class.class).newInstance("greeting", String.class);
        Object state = backendClass.getMethod("valueState", descriptorClass).invoke(backend, descriptor);
        backendClass.getMethod("setCurrentKey", Object.class).invoke(backend, "key");
        Class<?> valueState = api.loadClass("io.runnel.api.state.ValueState");
        valueState.getMethod("update", Object.class).invoke(state, "hello from " + directory.getFileName());
        Method value = valueState.getMethod("value");
        assertThat(value.invoke(state)).isEqualTo("hello from " + directory.getFileName());
        return backend;
    }

    /**
     * Through the {@code rocksdb} state backend service (waiting a bounded time for SCR to register
     * it): makes a backend over every key group, writes and reads a value, and returns it still open.
     */
    private static Object useService(Framework framework, Bundle api, Bundle spi, Path directory) throws Exception {
        var context = framework.getBundleContext();
        String filter = "(runnel.state.backend=rocksdb)";
        org.osgi.framework.ServiceReference<?>[] references = null;
        for (int attempt = 0; attempt < 100 && references == null; attempt++) {
            references = context.getAllServiceReferences("io.runnel.spi.state.StateBackendFactory", filter);
            if (references == null) {
                Thread.sleep(50);
            }
        }
        assertThat(references).as("the rocksdb state backend service is registered within 5 s").isNotNull();
        Object factory = context.getService(references[0]);
        Class<?> contextClass = spi.loadClass("io.runnel.spi.state.KeyedStateBackendContext");
        Object strings = api.loadClass("io.runnel.api.types.Types").getField("STRING").get(null);
        Object backendContext = java.lang.reflect.Proxy.newProxyInstance(contextClass.getClassLoader(),
                new Class<?>[] {contextClass}, (proxy, method, args) -> switch (method.getName()) {
                    case "firstKeyGroup" -> 0;
                    case "lastKeyGroup" -> 127;
                    case "maxParallelism" -> 128;
                    case "processingTimeClock" -> (LongSupplier) System::currentTimeMillis;
                    case "userClassLoader" -> BundleUpdateIT.class.getClassLoader();
                    case "keySerializer" -> strings;
                    case "namespaceSerializer" -> java.util.Optional.empty();
                    case "owner" -> "";
                    case "options" -> Map.of("memory.managed-per-slot", "16 mb", "writebuffer.size", "4 mb");
                    case "localDirectory" -> Files.createDirectories(directory);
                    case "sharedStateDirectory" -> java.util.Optional.empty();
                    case "slotId" -> java.util.Optional.of("bundle-update-slot");
                    case "toString" -> "test context";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Class<?> factoryClass = spi.loadClass("io.runnel.spi.state.StateBackendFactory");
        Object backend = factoryClass.getMethod("createKeyedStateBackend", contextClass).invoke(factory, backendContext);
        Class<?> backendClass = spi.loadClass("io.runnel.spi.state.KeyedStateBackend");
        Class<?> descriptorClass = api.loadClass("io.runnel.api.state.ValueStateDescriptor");
        Object descriptor = descriptorClass.getConstructor(String.class, Class.class).newInstance("greeting", String.class);
        Object state = backendClass.getMethod("valueState", descriptorClass).invoke(backend, descriptor);
        backendClass.getMethod("setCurrentKey", Object.class).invoke(backend, "key");
        Class<?> valueState = api.loadClass("io.runnel.api.state.ValueState");
        valueState.getMethod("update", Object.class).invoke(state, "through the service");
        assertThat(valueState.getMethod("value").invoke(state)).isEqualTo("through the service");
        context.ungetService(references[0]);
        return backend;
    }

    /**
     * Whether a backend made through the service refuses state access as closed (through the SPI's
     * interface: the old revision's wiring is gone, so none of its other classes may be loaded).
     */
    private static boolean isClosed(Object serviceBackend, Bundle api, Bundle spi) throws Exception {
        Class<?> backendClass = spi.loadClass("io.runnel.spi.state.KeyedStateBackend");
        Class<?> descriptorClass = api.loadClass("io.runnel.api.state.ValueStateDescriptor");
        Object descriptor = descriptorClass.getConstructor(String.class, Class.class).newInstance("other", String.class);
        try {
            backendClass.getMethod("valueState", descriptorClass).invoke(serviceBackend, descriptor);
            return false;
        } catch (java.lang.reflect.InvocationTargetException e) {
            return e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("is closed");
        }
    }

    /** The distinct files of RocksDB's native library mapped into this process (Linux). */
    private static Set<String> nativeCopiesMapped() throws Exception {
        Set<String> paths = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.contains("rocksdbjni")) {
                paths.add(line.substring(slash));
            }
        }
        return paths;
    }
}
