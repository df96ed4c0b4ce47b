/**
 * Running a job graph: {@link io.runnel.runtime.internal.execution.JobDeployment} creates one task
 * per parallel subtask that runs here, with channels made by
 * {@link io.runnel.runtime.internal.execution.ChannelWiring} (in-JVM queues, or network channels to
 * subtasks that a {@link io.runnel.runtime.internal.execution.Placement} puts on other nodes);
 * {@link io.runnel.runtime.internal.execution.LocalJob} tracks them and is the job's client;
 * {@link io.runnel.runtime.internal.execution.LocalStreamEnvironment} is the DataStream API's entry
 * point.
 */
package io.runnel.runtime.internal.execution;
