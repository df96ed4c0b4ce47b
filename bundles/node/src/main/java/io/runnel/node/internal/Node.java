package io.runnel.node.internal;

import io.runnel.api.cluster.NodeRole;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this process as a Runnel node: reads the configuration, and either configures the cluster
 * member plus the JobManager and/or TaskManager for the node's role, or, if the configuration is bad,
 * prints every problem and stops the node.
 *
 * <p>Where things are comes from framework or system properties that the {@code runnel} script sets:
 * {@value #HOME} (the launcher directory, default the working directory), {@value #CONF_FILE}
 * (default {@code <home>/conf/runnel.yaml}), and any number of {@value #OVERRIDE_PREFIX}{@code <key>}
 * settings that override the file.
 */
@Component(immediate = true, service = {})
public final class Node {

    static final String HOME = "runnel.home";
    static final String CONF_FILE = "runnel.conf.file";
    static final String OVERRIDE_PREFIX = "runnel.set.";
    static final String CLUSTER_PID = "io.runnel.cluster.hazelcast";
    static final String JOBMANAGER_PID = "io.runnel.jobmanager";
    static final String TASKMANAGER_PID = "io.runnel.taskmanager";
    /** Exit status of a node refused for bad configuration (sysexits EX_CONFIG). */
    static final int EXIT_CONFIG = 78;

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    /** Stops the framework in order when the JVM is asked to end (Ctrl-C, SIGTERM), so the node leaves the cluster cleanly. */
    private final Thread shutdownHook;

    @Activate
    public Node(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) throws IOException {
        this.shutdownHook = new Thread(() -> stopFramework(context), "runnel-shutdown");
        Path home = Path.of(property(context, HOME, ".")).toAbsolutePath().normalize();
        String confFile = property(context, CONF_FILE, null);
        Path conf = confFile == null ? home.resolve("conf").resolve("runnel.yaml") : home.resolve(confFile);
        NodeConfiguration configuration;
        try {
            configuration = NodeConfiguration.load(conf, overrides(), home);
        } catch (ConfigurationException e) {
            refuseToStart(context, conf, e);
            return;
        }
        apply(configurationAdmin, configuration, home);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.info("Node {} configured from {} as {}", configuration.nodeId(), conf,
                configuration.roles().stream().map(NodeRole::configName).reduce((a, b) -> a + "+" + b).orElse(""));
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is what is stopping us.
        }
    }

    private static void stopFramework(BundleContext context) {
        try {
            Bundle framework = context.getBundle(0);
            framework.stop();
            if (framework instanceof Framework f) {
                f.waitForStop(30_000);
            }
        } catch (BundleException | IllegalStateException | InterruptedException e) {
            LOG.error("Could not stop the node cleanly", e);
        }
    }

    private static void apply(ConfigurationAdmin admin, NodeConfiguration configuration, Path home) throws IOException {
        update(admin, CLUSTER_PID, configuration.clusterProperties());
        if (configuration.roles().contains(NodeRole.JOBMANAGER)) {
            update(admin, JOBMANAGER_PID, Map.of("node.data-dir", configuration.dataDir(home).toString(),
                    RunnelOptions.HA_STORAGE_DIR.key(), configuration.haStorageDir(home).toString(),
                    RunnelOptions.SLOT_REQUEST_TIMEOUT.key(), configuration.slotRequestTimeoutMillis()));
        } else {
            delete(admin, JOBMANAGER_PID);
        }
        if (configuration.roles().contains(NodeRole.TASKMANAGER)) {
            Map<String, Object> taskManager = new java.util.LinkedHashMap<>(configuration.stateBackendProperties());
            taskManager.put(RunnelOptions.TASK_SLOTS.key(), configuration.taskSlots(Runtime.getRuntime().availableProcessors()));
            taskManager.put("node.data-dir", configuration.dataDir(home).toString());
            update(admin, TASKMANAGER_PID, taskManager);
        } else {
            delete(admin, TASKMANAGER_PID);
        }
    }

    private static void update(ConfigurationAdmin admin, String pid, Map<String, Object> properties) throws IOException {
        Configuration configuration = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> dictionary = new Hashtable<>(properties);
        configuration.updateIfDifferent(dictionary);
    }

    private static void delete(ConfigurationAdmin admin, String pid) throws IOException {
        try {
            Configuration[] existing = admin.listConfigurations("(service.pid=" + pid + ")");
            if (existing != null) {
                for (Configuration configuration : existing) {
                    configuration.delete();
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("Filter for PID " + pid + " is malformed", e);
        }
    }

    /** Prints every problem where the user is looking, then stops the framework with status {@value #EXIT_CONFIG}. */
    private static void refuseToStart(BundleContext context, Path conf, ConfigurationException e) {
        StringBuilder message = new StringBuilder("runnel: the node cannot start: its configuration has ")
                .append(e.problems().size()).append(" problem(s):\n");
        for (String problem : e.problems()) {
            message.append("  - ").append(problem).append('\n');
        }
        message.append("Fix ").append(conf).append(" or the command-line option, then start the node again.");
        System.err.println(message);
        Thread stopper = new Thread(() -> {
            stopFramework(context);
            // The framework is gone; leave with a status a script can test.
            Runtime.getRuntime().halt(EXIT_CONFIG);
        }, "runnel-config-refusal");
        stopper.start();
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static Map<String, String> overrides() {
        Map<String, String> overrides = new TreeMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(OVERRIDE_PREFIX)) {
                overrides.put(name.substring(OVERRIDE_PREFIX.length()), System.getProperty(name));
            }
        }
        return overrides;
    }
}
