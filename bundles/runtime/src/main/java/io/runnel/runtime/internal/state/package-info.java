/**
 * What the runtime keeps of a keyed operator's state itself, whichever state backend holds its keyed
 * state: timers (event and processing time, always on the heap) and their serialization, which follows
 * the backend's portable state section in a snapshot; operator state; and the context and choice of
 * the state backend ({@code io.runnel.spi.state}), found by name when a job is submitted. Everything
 * here is used from one task thread only, except serialized snapshots, which are handed to a writer
 * thread.
 */
package io.runnel.runtime.internal.state;
