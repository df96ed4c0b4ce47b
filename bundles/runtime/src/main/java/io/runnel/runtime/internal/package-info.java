/**
 * The streaming engine. {@code graph} turns the DataStream calls into a logical graph and chains it
 * into a job graph; {@code task} runs one parallel subtask of a chain on its own thread, reading
 * batches from bounded input channels and writing batches to its consumers' channels;
 * {@code operators} holds what runs inside a chain; {@code execution} deploys a job graph's
 * subtasks and tracks the job; {@code checkpoint} stores checkpoints and savepoints on disk and
 * finds the newest intact one for recovery. Nothing here is exported yet.
 */
package io.runnel.runtime.internal;
