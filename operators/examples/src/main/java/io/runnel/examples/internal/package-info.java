/**
 * Example jobs, each a DS component providing {@link io.runnel.api.stream.StreamJob} under its
 * {@code runnel.job} name. They use only the public API, as a user's job bundle would.
 */
package io.runnel.examples.internal;
