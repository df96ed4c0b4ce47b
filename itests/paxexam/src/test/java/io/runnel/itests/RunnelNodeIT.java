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
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Before;
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

    private NodeShell shell;

    @Before
    public void openShell() {
        shell = new NodeShell(commands, WAIT_MILLIS);
    }

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
        options.add(systemProperty("runnel.set.cluster.port").value(Integer.toString(NodeShell.freePort())));
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
        shell.await("the TaskManager's slots in the registry and the leader's slot pool", () ->
                countFree(slotRegistry.slots()) == SLOTS && countFree(jobManager.slotPool()) == SLOTS && jobManager.isLeader());
        assertEquals("paxexam-node", membership.localNode().id().value());
        assertTrue(slotRegistry.slots().stream().allMatch(s -> s.id().node().value().equals("paxexam-node")));
        assertEquals(1L, jobManager.leader().orElseThrow().epoch());
    }

    @Test
    public void shellCommandsDescribeTheCluster() throws Exception {
        shell.await("slots registered", () -> slotRegistry.slots().size() == SLOTS);
        String slots = shell.run("runnel:slots");
        assertTrue(slots, slots.contains(SLOTS + " slot(s): " + SLOTS + " free, 0 used"));
        assertTrue(slots, slots.contains("paxexam-node#0"));
        String nodes = shell.run("runnel:nodes");
        assertTrue(nodes, nodes.contains("paxexam-node") && nodes.contains("leader (epoch 1), this node"));
        String bundles = shell.run("runnel:bundles");
        assertTrue(bundles, bundles.contains("io.runnel.cluster.hazelcast") && bundles.contains("ACTIVE"));
    }

    @Test
    public void aDeployedJobStartsFromTheShellRunsInTheSlotsAndFreesThem() throws Exception {
        shell.await("slots registered", () -> countFree(slotRegistry.slots()) == SLOTS && jobManager.isLeader());
        String output = java.nio.file.Files.createTempDirectory("runnel-it-sessions").toString();
        String job = NodeShell.startedJob(shell.run("runnel:run clickstream 2 events=3000 output=" + output));
        shell.await("the job to finish", () -> "FINISHED".equals(shell.statusOf(job)));
        String jobs = shell.run("runnel:jobs");
        assertTrue(jobs, jobs.contains("clickstream") && jobs.contains("deployed jobs: [clickstream, kafka-counts, keycount]"));
        shell.await("the slots free again", () -> countFree(slotRegistry.slots()) == SLOTS);
        // Parallelism 2, no checkpoints: each subtask that received sessions committed part-<subtask>-0.txt at the end.
        String[] names = new java.io.File(output).list();
        assertTrue("output directory listed", names != null);
        java.util.List<String> sorted = java.util.Arrays.stream(names).sorted().toList();
        assertTrue("session files committed, none left hidden: " + sorted, !sorted.isEmpty()
                && sorted.stream().allMatch(name -> name.equals("part-0-0.txt") || name.equals("part-1-0.txt")));
        String refused = shell.run("runnel:run nosuch");
        assertTrue(refused, refused.contains("No job named 'nosuch' is deployed (deployed: [clickstream, kafka-counts, keycount])"));
    }

    @Test
    public void aJobWithCheckpointsTakesSavepointsFromTheShellStopsWithOneAndResumesFromIt() throws Exception {
        shell.await("slots registered", () -> countFree(slotRegistry.slots()) == SLOTS && jobManager.isLeader());
        Path work = java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), "savepoints-");
        String options = " execution.checkpointing.interval=300ms state.savepoints.dir=" + work.resolve("savepoints");
        List<String> jobs = new ArrayList<>();
        try {
            String job = NodeShell.startedJob(shell.run("runnel:run clickstream 2 events=0 rate=500 output=" + work.resolve("out-1") + options));
            jobs.add(job);
            shell.await("the job to run", () -> "RUNNING".equals(shell.statusOf(job)));

            String savepoint = shell.run("runnel:savepoint " + job);
            assertTrue(savepoint, savepoint.startsWith("savepoint of job " + job + " written to " + work.resolve("savepoints")));
            assertTrue(savepoint, java.nio.file.Files.isRegularFile(Path.of(pathIn(savepoint)).resolve("_metadata")));
            assertEquals("RUNNING", shell.statusOf(job));

            String stopped = shell.run("runnel:stop " + job + " " + work.resolve("final"));
            assertTrue(stopped, stopped.startsWith("job " + job + " stopped with savepoint " + work.resolve("final")));
            Path last = Path.of(pathIn(stopped));
            assertTrue(stopped, java.nio.file.Files.isRegularFile(last.resolve("_metadata")));
            shell.await("the stopped job to end", () -> "FINISHED".equals(shell.statusOf(job)));
            String again = shell.run("runnel:savepoint " + job);
            assertTrue(again, again.startsWith("cannot take a savepoint of job " + job + ": Job " + job
                    + " ('clickstream') has ended (FINISHED)"));

            // At a lower parallelism: keyed state moves by key group, and one source subtask takes both splits.
            String next = NodeShell.startedJob(shell.run("runnel:run clickstream 1 events=0 rate=500 output=" + work.resolve("out-2")
                    + options + " execution.savepoint.path=" + last));
            jobs.add(next);
            shell.await("the resumed job to run", () -> "RUNNING".equals(shell.statusOf(next)));
            String fromResumed = shell.run("runnel:savepoint " + next);
            assertTrue(fromResumed, fromResumed.startsWith("savepoint of job " + next + " written to "));
            String cancelled = shell.run("runnel:cancel " + next);
            assertEquals(cancelled, "CANCELED", shell.awaitEnd(next));

            String unknown = shell.run("runnel:stop 0123456789abcdef0123456789abcdef --drain");
            assertTrue(unknown, unknown.startsWith("cannot stop job 0123456789abcdef0123456789abcdef: No job "
                    + "0123456789abcdef0123456789abcdef runs on the JobManager of node paxexam-node"));
        } finally {
            cancelAndAwaitFreeSlots(jobs);
        }
    }

    /** Cancels {@code jobs} and waits (bounded) for every slot to be free, so a failure here does not spill into other tests. */
    private void cancelAndAwaitFreeSlots(List<String> jobs) {
        try {
            for (String job : jobs) {
                shell.run("runnel:cancel " + job);
            }
            shell.await("the slots free again", () -> countFree(slotRegistry.slots()) == SLOTS);
        } catch (Exception | AssertionError e) {
            System.err.println("RunnelNodeIT: cleaning up jobs " + jobs + " failed: " + e);
        }
    }

    /** The savepoint path at the end of a runnel:savepoint or runnel:stop answer. */
    private static String pathIn(String answer) {
        String line = answer.strip();
        return line.substring(line.lastIndexOf(' ') + 1);
    }

    private static long countFree(List<SlotInfo> slots) {
        return slots.stream().filter(s -> s.state() == SlotState.FREE).count();
    }
}
