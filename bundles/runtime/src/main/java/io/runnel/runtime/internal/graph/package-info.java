/**
 * The logical graph the DataStream API records ({@link io.runnel.runtime.internal.graph.Transformation}s)
 * and the job graph made from it: physical operators grouped into chains
 * ({@link io.runnel.runtime.internal.graph.JobVertex}) connected by partitioned edges.
 */
package io.runnel.runtime.internal.graph;
