/**
 * Tasks and the data exchange between them. A task is one thread; records cross from task to task in
 * batches ({@link io.runnel.runtime.internal.task.Buffer}) over bounded per-producer channels, so a
 * slow consumer blocks its producers (backpressure) instead of growing memory.
 */
package io.runnel.runtime.internal.task;
