/**
 * Keyed state and timers on the heap. State is kept per key group in maps, the layout in which it
 * will be snapshotted and moved between subtasks when a job is rescaled; timers are keyed state too.
 * Everything here is used from one task thread only.
 */
package io.runnel.runtime.internal.state;
