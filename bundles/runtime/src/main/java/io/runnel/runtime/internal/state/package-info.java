/**
 * Keyed state and timers on the heap. State is kept in maps per key group (plain keyed state) or per
 * window; a snapshot serializes it on the task thread with each entry's key group, the unit in which
 * state moves between subtasks when a job is rescaled; timers are keyed state too. Everything here is
 * used from one task thread only, except serialized snapshots, which are handed to a writer thread.
 */
package io.runnel.runtime.internal.state;
