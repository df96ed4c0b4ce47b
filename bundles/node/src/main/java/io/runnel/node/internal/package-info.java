/**
 * The node bundle: turns {@code runnel.yaml} plus command-line overrides into the configurations of
 * the cluster, JobManager and TaskManager components, refuses to start on a bad value, and prints the
 * node's status line. Nothing is exported.
 */
package io.runnel.node.internal;
