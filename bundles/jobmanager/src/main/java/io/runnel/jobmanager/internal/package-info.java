/**
 * The JobManager: runs for leadership and keeps the slot pool, the view of the cluster's task slots
 * that job scheduling will draw from. Nothing is exported; others see the JobManagerStatus service.
 */
package io.runnel.jobmanager.internal;
