package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.LeaderElection;
import io.runnel.spi.cluster.Leadership;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.cluster.SlotRegistry;
import io.runnel.spi.control.JobManagerStatus;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.control.JobExecutor;
import io.runnel.spi.control.JobManagerGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JobManager of this node. It exists only on nodes whose role includes {@code jobmanager}: the
 * node bundle writes its configuration (PID {@value #PID}) for those nodes alone. It runs for
 * leadership at once; the leader coordinates jobs, the others stand by and say who leads.
 *
 * <p>Jobs outlive their leader: every job is recorded in the {@link JobStore} while it runs. A node
 * that gains leadership (a standby after the leader died, or a node restarted with its data
 * directory) records its epoch there, tells the TaskManagers to cancel what older leaders deployed,
 * and resumes every recorded job from its newest intact checkpoint once the job's code and enough
 * slots are there ({@link Takeover}). A leader that loses leadership, or whose node stops, suspends
 * its jobs: they stop here and keep their records and checkpoints for the next leader.
 */
@Component(name = JobManager.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {JobManagerStatus.class, JobManagerGateway.class})
public final class JobManager implements JobManagerStatus, JobManagerGateway {

    static final String PID = "io.runnel.jobmanager";
    /** Configuration key of the job store's directory; default {@code <node.data-dir>/checkpoints/ha}. */
    static final String STORAGE_DIR = "high-availability.storage-dir";
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

    private final NodeId node;
    private final SlotPool slotPool;
    private final JobRuns runs;
    private final ClusterDeployer deployer;
    private final RunMode runMode;
    private final Map<String, StreamJob> jobs = new ConcurrentHashMap<>();
    private final Takeover takeover;
    private final Registration candidacy;
    private volatile Optional<Leadership> leader = Optional.empty();
    /** The election's epoch of the leadership this node took over with; only the notification thread uses it. */
    private long electedEpoch;

    @Activate
    public JobManager(BundleContext context, Map<String, Object> properties, @Reference ClusterMembership membership,
            @Reference SlotRegistry slotRegistry, @Reference LeaderElection election, @Reference JobExecutor executor,
            @Reference ClusterMessaging messaging) {
        this.node = membership.localNode().id();
        JobStore store = new JobStore(storageDirectory(properties));
        this.runMode = RunMode.of(context);
        this.takeover = new Takeover(node, store, jobs, runMode);
        this.slotPool = new SlotPool(slotRegistry, this::slotsChanged);
        this.deployer = new ClusterDeployer(membership, messaging, takeover::epoch, slotRequestTimeoutMillis(properties));
        this.runs = new JobRuns(node, slotRegistry, executor, deployer, takeover.journal());
        takeover.attach(runs, deployer);
        LOG.info("JobManager on node {} keeps its jobs in {} ({})", node, store.directory(), STORAGE_DIR);
        if (runMode != null) {
            LOG.info("JobManager on node {} will run job '{}' once it leads", node, runMode.jobName());
            runMode.watch(() -> (isLeader() ? "this JobManager leads" : "this JobManager does not lead") + ", "
                    + (jobs.containsKey(runMode.jobName()) ? runs.slotSituation(runMode.jobName(), jobs.get(runMode.jobName()),
                            runMode.parallelism(), runMode.parameters()) : "the job is not deployed")
                    + ", jobs deployed: " + deployedJobs()
                    + " (a job bundle registers a StreamJob service with the property " + StreamJob.NAME + ")");
        }
        this.candidacy = election.runForLeader(node, this::leaderChanged);
    }

    /** {@value #STORAGE_DIR}, else {@code <node.data-dir>/checkpoints/ha}, else under the temporary directory. */
    static Path storageDirectory(Map<String, Object> properties) {
        Object configured = properties.get(STORAGE_DIR);
        if (configured != null && !configured.toString().isBlank()) {
            return Path.of(configured.toString().trim()).toAbsolutePath();
        }
        Object dataDir = properties.get("node.data-dir");
        Path base = dataDir != null ? Path.of(dataDir.toString(), "checkpoints")
                : Path.of(System.getProperty("java.io.tmpdir"), "runnel-checkpoints");
        return base.resolve("ha").toAbsolutePath();
    }

    /**
     * {@value ClusterJob#SLOT_REQUEST_TIMEOUT}: how long a restarting job waits for free task slots
     * (a duration such as {@code 5min}, or milliseconds); default five minutes.
     *
     * @throws IllegalArgumentException naming the key and the value if it is not a duration
     */
    static long slotRequestTimeoutMillis(Map<String, Object> properties) {
        Object configured = properties.get(ClusterJob.SLOT_REQUEST_TIMEOUT);
        if (configured == null || configured.toString().isBlank()) {
            return ClusterJob.DEFAULT_SLOT_REQUEST_TIMEOUT_MILLIS;
        }
        return io.runnel.api.stream.ExecutionOptions.parseDuration(ClusterJob.SLOT_REQUEST_TIMEOUT,
                configured.toString().trim()).toMillis();
    }

    @Deactivate
    void deactivate() {
        candidacy.close();
        if (runMode != null) {
            runs.cancelAll(); // ./runnel run owns its job: stopping the command ends it
        } else {
            runs.suspendAll(); // the next leader, or this node restarted, resumes them
        }
        slotPool.close(); // first: the slots this node's TaskManager withdraws no longer reach the takeover
        takeover.close();
        deployer.close();
        LOG.info("JobManager on node {} stopped", node);
    }

    /** Jobs deployed as services, by their {@code runnel.job} name. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addJob(StreamJob job, Map<String, Object> properties) {
        Object name = properties.get(StreamJob.NAME);
        if (name == null) {
            LOG.warn("A StreamJob service of {} has no '{}' property and cannot be run by name", job.getClass().getName(),
                    StreamJob.NAME);
            return;
        }
        jobs.put(name.toString(), job);
        LOG.info("Job '{}' is available ({})", name, job.getClass().getName());
        slotsChanged();
    }

    void removeJob(StreamJob job, Map<String, Object> properties) {
        Object name = properties.get(StreamJob.NAME);
        if (name != null) {
            jobs.remove(name.toString(), job);
        }
    }

    /** Slots or job services changed: jobs waiting to be resumed, started or restarted may fit now. */
    private void slotsChanged() {
        Takeover current = takeover;
        if (current != null && runs != null) {
            current.retry(isLeader());
        }
        ClusterDeployer clusterDeployer = deployer;
        if (clusterDeployer != null) {
            clusterDeployer.slotsChanged();
        }
    }

    private void leaderChanged(Optional<Leadership> now) {
        boolean wasLeader = isLeader();
        boolean leaderKnown = leader.isPresent();
        leader = now;
        if (now.isEmpty()) {
            if (wasLeader || leaderKnown) {
                LOG.warn("JobManager on node {}: no leader at the moment, an election is under way", node);
            }
        } else if (now.get().isHeldBy(node)) {
            // The election may repeat what it said (membership changes); only a new leadership takes over.
            if (!wasLeader || electedEpoch != now.get().epoch()) {
                electedEpoch = now.get().epoch();
                LOG.info("JobManager on node {} leads the cluster (epoch {})", node, now.get().epoch());
                takeover.leading(now.get().epoch());
            }
        } else {
            if (wasLeader) {
                LOG.warn("JobManager on node {} lost leadership", node);
            }
            LOG.info("JobManager on node {} stands by; the leader is node {} (epoch {})", node,
                    now.get().leader(), now.get().epoch());
        }
        if (wasLeader && !isLeader()) {
            takeover.lost();
        }
    }

    @Override
    public List<JobInfo> jobs() {
        List<JobInfo> all = new java.util.ArrayList<>(runs.jobs());
        all.addAll(takeover.waiting());
        return all;
    }

    @Override
    public java.util.Set<String> deployedJobs() {
        return new java.util.TreeSet<>(jobs.keySet());
    }

    @Override
    public io.runnel.api.JobId start(String name, int parallelism, Map<String, String> parameters)
            throws io.runnel.api.stream.JobSubmissionException {
        if (!isLeader()) {
            throw new io.runnel.api.stream.JobSubmissionException("This JobManager (node " + node + ") stands by; start "
                    + "jobs on the leader: " + leader.map(l -> "node " + l.leader()).orElse("none is elected right now"));
        }
        StreamJob job = jobs.get(name);
        if (job == null) {
            throw new io.runnel.api.stream.JobSubmissionException("No job named '" + name + "' is deployed (deployed: "
                    + deployedJobs() + "). Drop its bundle into deploy/");
        }
        if (parallelism < 1) {
            throw new io.runnel.api.stream.JobSubmissionException("Parallelism must be at least 1, but is " + parallelism);
        }
        if (takeover.epoch() == 0) {
            throw new io.runnel.api.stream.JobSubmissionException("This JobManager (node " + node + ") leads but has not"
                    + " taken over the jobs of its store yet (" + takeover.state() + "); try again in a moment");
        }
        return runs.start(name, job, parallelism, parameters).jobId();
    }

    @Override
    public boolean cancel(io.runnel.api.JobId id) {
        return runs.cancel(id);
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(JobId id, String directory) {
        return standbyRefusal().orElseGet(() -> runs.triggerSavepoint(id, directory));
    }

    @Override
    public CompletableFuture<String> stopWithSavepoint(JobId id, boolean drain, String directory) {
        return standbyRefusal().orElseGet(() -> runs.stopWithSavepoint(id, drain, directory));
    }

    /** On a standby that runs no jobs, a failed future that points at the leader; else empty. */
    private Optional<CompletableFuture<String>> standbyRefusal() {
        if (isLeader() || !runs.running().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CompletableFuture.failedFuture(new IllegalArgumentException(
                "This JobManager (node " + node + ") stands by and runs no jobs; ask the leader: "
                        + leader.map(l -> "node " + l.leader()).orElse("none is elected right now"))));
    }

    @Override
    public NodeId node() {
        return node;
    }

    @Override
    public Optional<Leadership> leader() {
        return leader;
    }

    @Override
    public List<SlotInfo> slotPool() {
        return slotPool.slots();
    }
}
