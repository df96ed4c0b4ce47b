/**
 * Running a job graph: {@link io.runnel.runtime.internal.execution.JobDeployment} wires channels and
 * creates one task per parallel subtask; {@link io.runnel.runtime.internal.execution.LocalJob} tracks
 * them and is the job's client; {@link io.runnel.runtime.internal.execution.LocalStreamEnvironment}
 * is the DataStream API's entry point.
 */
package io.runnel.runtime.internal.execution;
