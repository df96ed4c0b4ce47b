/**
 * The DataStream API: a job is built by calling transformations on streams obtained from a
 * {@link io.runnel.api.stream.StreamEnvironment}, then executed. Building only records the logical
 * graph; nothing runs until {@code execute} or {@code executeAsync}. The environment and stream
 * types are implemented by the runtime; users implement the functions in
 * {@link io.runnel.api.functions}.
 */
@Export
@Version("1.1.0")
package io.runnel.api.stream;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
