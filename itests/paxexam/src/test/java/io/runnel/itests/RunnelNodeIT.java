package io.runnel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.cluster.SlotState;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.SlotRegistry;
import io.runnel.spi.control.JobManagerStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Boots the node's bundles, exactly as packed in runnel.jar, in Felix, and checks that the node
 * comes up whole: every bundle active, every Runnel component active, slots registered and seen by
 * the JobManager's slot pool, and the shell commands answering.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RunnelNodeIT {

    private static final int SLOTS = 3;
    private static final long WAIT_MILLIS = 30_000;

    @Inject
    private BundleContext context;

    @Inject
    @Filter(timeout = WAIT_MILLIS)
    private ServiceComponentRuntime scr;

    @Inject
    @Filter(timeout = WAIT_MILLIS)
    private ClusterMembership membership;

    @Inject
    @Filter(timeout = WAIT_MILLIS)
    private SlotRegistry slotRegistry;

    @Inject
    @Filter(timeout = WAIT_MILLIS)
    private JobManagerStatus jobManager;

    @Inject
    @Filter(timeout = WAIT_MILLIS)
    private CommandProcessor commands;

    @Configuration
    public Option[] config() throws IOException {
        Path work = Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath().resolve("paxexam");
        List<Option> options = new ArrayList<>();
        for (NodeBundles.Entry entry : NodeBundles.extract(Path.of(System.getProperty("runnel.launcher.jar")), work.resolve("bundles"))) {
            // Pax Exam starts its own bundles at level 2-3 and the test probe at 5. Keep the node's
            // order (logging first, at launcher levels 1-3) but fit it below the probe.
            options.add(bundle(entry.url()).startLevel(entry.startLevel() > 0 && entry.startLevel() < 10 ? 1 : 4));
        }
        options.add(junitBundles());
        options.add(systemProperty("runnel.home").value(work.resolve("home").toString()));
        options.add(systemProperty("felix.fileinstall.dir").value(work.resolve("deploy").toString()));
        options.add(systemProperty("felix.fileinstall.log.level").value("0"));
        options.add(systemProperty("runnel.set.cluster.port").value(Integer.toString(freePort())));
        options.add(systemProperty("runnel.set.cluster.name").value("paxexam-" + ProcessHandle.current().pid()));
        options.add(systemProperty("runnel.set.node.id").value("paxexam-node"));
        options.add(systemProperty("runnel.set.taskmanager.numberOfTaskSlots").value(Integer.toString(SLOTS)));
        options.add(systemProperty("gosh.args").value("--nointeractive"));
        options.add(systemProperty("hazelcast.logging.type").value("slf4j"));
        options.add(systemProperty("org.slf4j.simpleLogger.log.com.hazelcast").value("warn"));
        options.add(workingDirectory(work.resolve("felix").toString()));
        return options.toArray(new Option[0]);
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " (state " + bundle.getState() + ")");
            }
        }
        assertTrue("Bundles not active: " + notActive, notActive.isEmpty());
        for (String name : List.of("io.runnel.api", "io.runnel.spi", "io.runnel.cluster.hazelcast", "io.runnel.jobmanager",
                "io.runnel.taskmanager", "io.runnel.node", "io.runnel.shell")) {
            assertTrue(name + " is installed", List.of(context.getBundles()).stream().anyMatch(b -> name.equals(b.getSymbolicName())));
        }
    }

    @Test
    public void everyRunnelComponentIsActive() {
        List<String> problems = new ArrayList<>();
        int runnelComponents = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("io.runnel.")) {
                continue;
            }
            runnelComponents++;
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                problems.add(description.name + ": no configuration (not configured for this node?)");
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                    problems.add(description.name + ": state " + configuration.state + ", unsatisfied references "
                            + List.of(configuration.unsatisfiedReferences).stream().map(r -> r.name).toList());
                }
            }
        }
        assertTrue("Runnel components found: " + runnelComponents, runnelComponents >= 7);
        assertTrue("Components not active: " + problems, problems.isEmpty());
    }

    @Test
    public void slotsAreRegisteredAndTheJobManagerLeadsAndSeesThem() {
        await("the TaskManager's slots in the registry and the leader's slot pool", () ->
                countFree(slotRegistry.slots()) == SLOTS && countFree(jobManager.slotPool()) == SLOTS && jobManager.isLeader());
        assertEquals("paxexam-node", membership.localNode().id().value());
        assertTrue(slotRegistry.slots().stream().allMatch(s -> s.id().node().value().equals("paxexam-node")));
        assertEquals(1L, jobManager.leader().orElseThrow().epoch());
    }

    @Test
    public void shellCommandsDescribeTheCluster() throws Exception {
        await("slots registered", () -> slotRegistry.slots().size() == SLOTS);
        String slots = run("runnel:slots");
        assertTrue(slots, slots.contains(SLOTS + " slot(s): " + SLOTS + " free, 0 used"));
        assertTrue(slots, slots.contains("paxexam-node#0"));
        String nodes = run("runnel:nodes");
        assertTrue(nodes, nodes.contains("paxexam-node") && nodes.contains("leader (epoch 1), this node"));
        String bundles = run("runnel:bundles");
        assertTrue(bundles, bundles.contains("io.runnel.cluster.hazelcast") && bundles.contains("ACTIVE"));
    }

    @Test
    public void aDeployedJobStartsFromTheShellRunsInTheSlotsAndFreesThem() throws Exception {
        await("slots registered", () -> countFree(slotRegistry.slots()) == SLOTS && jobManager.isLeader());
        String output = java.nio.file.Files.createTempDirectory("runnel-it-sessions").toString();
        String started = run("runnel:run clickstream 2 events=3000 output=" + output);
        assertTrue(started, started.startsWith("started job "));
        await("the job to finish", () -> {
            try {
                return run("runnel:jobs").contains("FINISHED");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String jobs = run("runnel:jobs");
        assertTrue(jobs, jobs.contains("clickstream") && jobs.contains("deployed jobs: [clickstream]"));
        await("the slots free again", () -> countFree(slotRegistry.slots()) == SLOTS);
        // Parallelism 2, no checkpoints: each subtask that received sessions committed part-<subtask>-0.txt at the end.
        String[] names = new java.io.File(output).list();
        assertTrue("output directory listed", names != null);
        java.util.List<String> sorted = java.util.Arrays.stream(names).sorted().toList();
        assertTrue("session files committed, none left hidden: " + sorted, !sorted.isEmpty()
                && sorted.stream().allMatch(name -> name.equals("part-0-0.txt") || name.equals("part-1-0.txt")));
        String refused = run("runnel:run nosuch");
        assertTrue(refused, refused.contains("No job named 'nosuch' is deployed (deployed: [clickstream])"));
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object result = session.execute(command);
            return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : result.toString());
        } finally {
            session.close();
        }
    }

    private static long countFree(List<SlotInfo> slots) {
        return slots.stream().filter(s -> s.state() == SlotState.FREE).count();
    }

    /** Polls {@code condition} every 100 ms for at most {@value #WAIT_MILLIS} ms. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out after " + WAIT_MILLIS + " ms waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for " + what, e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
