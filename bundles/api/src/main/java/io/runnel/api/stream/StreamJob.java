package io.runnel.api.stream;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A job packaged in a bundle: an OSGi service with the property {@value #NAME}{@code =<job name>}
 * (typically a DS component) whose {@link #build} adds the job's sources, transformations and sinks
 * to the environment it is given. The JobManager calls {@code build} when the job is started and
 * executes what was built; {@code build} must not call {@code execute} itself.
 *
 * <p>{@code build} may be called more than once (each start, each restart) and must build the same
 * job each time for the same parameters.
 */
@ConsumerType
public interface StreamJob {

    /** Service property naming the job. */
    String NAME = "runnel.job";

    /**
     * @param env the environment to build into; its parallelism is already set to the requested one
     * @param parameters job parameters given at start ({@code ./runnel run ... -p key=value}); unknown
     *     ones should be reported, not ignored
     * @throws IllegalArgumentException naming a bad parameter and its value
     */
    void build(StreamEnvironment env, Map<String, String> parameters);
}
