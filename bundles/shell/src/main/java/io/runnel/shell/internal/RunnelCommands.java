package io.runnel.shell.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.cluster.SlotState;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.LeaderElection;
import io.runnel.spi.cluster.Leadership;
import io.runnel.spi.cluster.SlotRegistry;
import io.runnel.spi.control.JobManagerGateway;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code runnel:*} Gogo commands: what the cluster looks like from this node ({@code nodes},
 * {@code slots}, {@code bundles}) and its jobs ({@code jobs}, {@code run}, {@code cancel},
 * {@code savepoint}, {@code stop}). Each command returns its answer as text, which Gogo prints; a
 * failure is one line saying what went wrong, never a stack trace.
 */
@Component(service = RunnelCommands.class, property = {
    "osgi.command.scope=runnel",
    "osgi.command.function=nodes",
    "osgi.command.function=slots",
    "osgi.command.function=bundles",
    "osgi.command.function=jobs",
    "osgi.command.function=run",
    "osgi.command.function=cancel",
    "osgi.command.function=savepoint",
    "osgi.command.function=stop"
})
public final class RunnelCommands {

    private static final String NOT_JOINED = "This node has not joined a cluster (yet): see the node's log.";
    private static final String NO_JOBMANAGER = "This node runs no JobManager (its role is taskmanager).";
    /**
     * How long {@code savepoint} and {@code stop} wait for their answer. A savepoint fails by itself
     * after the job's {@code execution.checkpointing.timeout} (10 minutes unless set); one that takes
     * longer still completes, and the node's log shows its path.
     */
    static final Duration SAVEPOINT_WAIT = Duration.ofMinutes(10);

    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ClusterMembership membership;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SlotRegistry slotRegistry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LeaderElection election;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile JobManagerGateway jobManager;

    @Activate
    public RunnelCommands(BundleContext context) {
        this.context = context;
    }

    @Descriptor("lists the nodes of the cluster, oldest first, with their roles and the JobManager leader")
    public String nodes() {
        ClusterMembership current = membership;
        if (current == null) {
            return NOT_JOINED;
        }
        LeaderElection currentElection = election;
        Optional<Leadership> leader = currentElection == null ? Optional.empty() : currentElection.currentLeader();
        return formatNodes(current.nodes(), current.localNode().id(), leader);
    }

    @Descriptor("lists every task slot in the cluster with its state and the job holding it")
    public String slots() {
        SlotRegistry current = slotRegistry;
        return current == null ? NOT_JOINED : formatSlots(current.slots());
    }

    @Descriptor("lists Runnel's bundles and the bundles deployed from the deploy directory, with versions and states")
    public String bundles() {
        String deployDir = context.getProperty("felix.fileinstall.dir");
        Path deploy = deployDir == null ? null : Path.of(deployDir).toAbsolutePath().normalize();
        List<String[]> rows = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName() == null ? "(no symbolic name)" : bundle.getSymbolicName();
            Path deployed = deploy == null ? null : fileIn(deploy, bundle.getLocation());
            if (name.startsWith("io.runnel.") || deployed != null) {
                rows.add(new String[] {Long.toString(bundle.getBundleId()), state(bundle.getState()), name,
                    bundle.getVersion().toString(), deployed != null ? "deploy/" + deployed : "built-in"});
            }
        }
        return table(new String[] {"ID", "STATE", "BUNDLE", "VERSION", "FROM"}, rows);
    }

    /** The bundle file relative to {@code dir} if its location is a {@code file:} URL inside it, else null. */
    static Path fileIn(Path dir, String location) {
        if (!location.startsWith("file:")) {
            return null;
        }
        try {
            Path file = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return file.startsWith(dir) ? dir.relativize(file) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Descriptor("lists the jobs this node's JobManager runs and ran, and the jobs deployed that can be run")
    public String jobs() {
        JobManagerGateway gateway = jobManager;
        return gateway == null ? NO_JOBMANAGER : formatJobs(gateway.jobs(), gateway.deployedJobs());
    }

    static String formatJobs(List<JobManagerGateway.JobInfo> jobs, Set<String> deployed) {
        List<String[]> rows = new ArrayList<>();
        for (JobManagerGateway.JobInfo job : jobs) {
            rows.add(new String[] {job.id().value(), job.name(), job.status().name(),
                job.slots().stream().map(Object::toString).collect(Collectors.joining(",")),
                job.failure() == null ? "" : job.failure()});
        }
        return table(new String[] {"JOB", "NAME", "STATUS", "SLOTS", "FAILURE"}, rows)
                + "deployed jobs: " + deployed + "\n";
    }

    @Descriptor("starts a deployed job: run <name> [parallelism] [key=value ...]")
    public String run(@Descriptor("job name") String name, @Descriptor("parallelism and key=value parameters") String... more) {
        JobManagerGateway gateway = jobManager;
        if (gateway == null) {
            return NO_JOBMANAGER;
        }
        int parallelism = 1;
        java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (String each : more) {
            if (each.matches("\\d+")) {
                parallelism = Integer.parseInt(each);
            } else if (each.contains("=")) {
                parameters.put(each.substring(0, each.indexOf('=')), each.substring(each.indexOf('=') + 1));
            } else {
                return "'" + each + "' is neither a parallelism nor key=value; usage: run <name> [parallelism] [key=value ...]";
            }
        }
        try {
            return "started job " + gateway.start(name, parallelism, parameters) + " (" + name + ")";
        } catch (io.runnel.api.stream.JobSubmissionException e) {
            return "cannot start '" + name + "': " + e.getMessage();
        }
    }

    @Descriptor("cancels a running job by its id (see runnel:jobs)")
    public String cancel(@Descriptor("job id") String jobId) {
        JobManagerGateway gateway = jobManager;
        if (gateway == null) {
            return NO_JOBMANAGER;
        }
        try {
            return gateway.cancel(new io.runnel.api.JobId(jobId)) ? "cancelling job " + jobId : "no job " + jobId + " runs here";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Descriptor("takes a savepoint of a running job, which goes on running, and prints the savepoint's path")
    public String savepoint(@Descriptor("job id (see runnel:jobs)") String jobId,
            @Descriptor("[directory]: where to create the savepoint; default: the job's state.savepoints.dir")
            String... more) {
        JobManagerGateway gateway = jobManager;
        return gateway == null ? NO_JOBMANAGER : savepoint(gateway, jobId, List.of(more), SAVEPOINT_WAIT);
    }

    @Descriptor("stops a running job with a savepoint it can resume from, and prints the savepoint's path")
    public String stop(@Descriptor("job id (see runnel:jobs)") String jobId,
            @Descriptor("[--drain] [directory]: --drain fires every window and timer first (for a job that will not be"
                    + " resumed); directory as for runnel:savepoint") String... more) {
        JobManagerGateway gateway = jobManager;
        return gateway == null ? NO_JOBMANAGER : stop(gateway, jobId, List.of(more), SAVEPOINT_WAIT);
    }

    /** {@code runnel:savepoint}, waiting at most {@code wait} for the answer. */
    static String savepoint(JobManagerGateway gateway, String jobId, List<String> more, Duration wait) {
        String usage = "usage: runnel:savepoint <job id> [directory]";
        if (more.size() > 1 || more.stream().anyMatch(each -> each.startsWith("-"))) {
            return "runnel:savepoint takes a job id and at most one directory, but got " + more + "; " + usage;
        }
        JobId id;
        try {
            id = new JobId(jobId);
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "; see runnel:jobs";
        }
        String directory = more.isEmpty() ? null : more.get(0);
        return await(gateway.triggerSavepoint(id, directory), wait,
                "savepoint of job " + id + " written to ", "take a savepoint of job " + id);
    }

    /** {@code runnel:stop}, waiting at most {@code wait} for the answer. */
    static String stop(JobManagerGateway gateway, String jobId, List<String> more, Duration wait) {
        String usage = "usage: runnel:stop <job id> [--drain] [directory]";
        boolean drain = false;
        List<String> directories = new ArrayList<>();
        for (String each : more) {
            if (each.equals("--drain") || each.equals("-d")) {
                drain = true;
            } else if (each.startsWith("-")) {
                return "'" + each + "' is not an option of runnel:stop (it knows --drain); " + usage;
            } else {
                directories.add(each);
            }
        }
        if (directories.size() > 1) {
            return "runnel:stop takes at most one directory, but got " + directories + "; " + usage;
        }
        JobId id;
        try {
            id = new JobId(jobId);
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "; see runnel:jobs";
        }
        String directory = directories.isEmpty() ? null : directories.get(0);
        return await(gateway.stopWithSavepoint(id, drain, directory), wait,
                "job " + id + (drain ? " drained and" : "") + " stopped with savepoint ", "stop job " + id);
    }

    /**
     * Waits for a savepoint's path and says {@code success} followed by it; or says that it could not
     * {@code action}, and why, in one line.
     */
    static String await(CompletableFuture<String> answer, Duration wait, String success, String action) {
        try {
            return success + answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return "cannot " + action + ": " + reason(e.getCause());
        } catch (TimeoutException e) {
            return "still waiting to " + action + " after " + wait.toSeconds() + " s; it goes on, and the node's log"
                    + " shows the savepoint's path once it is complete";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "stopped waiting to " + action + "; it goes on, and the node's log shows the savepoint's path once"
                    + " it is complete";
        }
    }

    /** The failure's message, unwrapped from the futures' wrappers; its class name if it has none. */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException || cause instanceof ExecutionException) {
            if (cause.getCause() == null) {
                break;
            }
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    static String formatNodes(List<NodeInfo> nodes, NodeId self, Optional<Leadership> leader) {
        List<String[]> rows = new ArrayList<>();
        for (NodeInfo node : nodes) {
            String roles = node.roles().stream().map(NodeRole::configName).sorted().collect(Collectors.joining(","));
            String notes = leader.filter(l -> l.isHeldBy(node.id())).map(l -> "leader (epoch " + l.epoch() + ")")
                    .orElse(node.hasRole(NodeRole.JOBMANAGER) ? "standby" : "");
            if (node.id().equals(self)) {
                notes = notes.isEmpty() ? "this node" : notes + ", this node";
            }
            rows.add(new String[] {node.id().value(), node.address(), roles, notes});
        }
        return table(new String[] {"NODE", "ADDRESS", "ROLES", "NOTES"}, rows);
    }

    static String formatSlots(List<SlotInfo> slots) {
        List<String[]> rows = new ArrayList<>();
        for (SlotInfo slot : slots) {
            rows.add(new String[] {slot.id().toString(), slot.state().name(), slot.allocatedTo().map(Object::toString).orElse("")});
        }
        long free = slots.stream().filter(s -> s.state() == SlotState.FREE).count();
        return table(new String[] {"SLOT", "STATE", "JOB"}, rows)
                + slots.size() + " slot(s): " + free + " free, " + (slots.size() - free) + " used\n";
    }

    private static String state(int state) {
        switch (state) {
            case Bundle.ACTIVE: return "ACTIVE";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            default: return "UNINSTALLED";
        }
    }

    /** Left-aligned columns as wide as their widest cell. */
    static String table(String[] header, List<String[]> rows) {
        int[] widths = new int[header.length];
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + widths[i] + "s", row[i]));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
