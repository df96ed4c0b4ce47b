/**
 * The data plane between TaskManagers: buffers of a channel whose producer and consumer run in
 * different JVMs travel over Netty, serialized, with credit-based flow control.
 *
 * <p>Each TaskManager runs one {@link io.runnel.runtime.internal.network.DataServer}, where consumer
 * tasks register the {@link io.runnel.runtime.internal.task.InputChannel}s that remote producers feed,
 * and one {@link io.runnel.runtime.internal.network.DataClient}, which opens a
 * {@link io.runnel.runtime.internal.network.RemoteOutputChannel} per remote consumer channel. All
 * channels from one TaskManager to another share one TCP connection. A producer sends a buffer only
 * while it holds a credit, and the consumer grants one credit per free slot of its channel, so a slow
 * consumer holds its producers back (backpressure) and nothing is lost or buffered without bound.
 * The wire format is described in {@link io.runnel.runtime.internal.network.Protocol}.
 */
package io.runnel.runtime.internal.network;
