/**
 * The heap state backend: keyed state in maps per key group (plain keyed state) or per window, values
 * as objects, registered as the state backend service {@code heap}. Everything here is used from one
 * task thread only, except serialized snapshots, which are handed to a writer thread.
 */
package io.runnel.state.heap.internal;
