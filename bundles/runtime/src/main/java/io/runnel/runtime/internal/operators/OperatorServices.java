package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.task.ProcessingTimers;

/**
 * What the task offers its operators when they open.
 *
 * @param timers processing-time callbacks on the task thread
 */
public record OperatorServices(ProcessingTimers timers) {}
