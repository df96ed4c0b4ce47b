/**
 * The functions users write.
 *
 * <p><b>Instances and threads.</b> The one-method interfaces ({@code MapFunction},
 * {@code FilterFunction}, {@code KeySelector}, ...) are shared by all parallel subtasks of their
 * operator and may be called from several threads at once: keep them free of mutable state. Process
 * functions ({@link io.runnel.api.functions.KeyedProcessFunction}) are {@link java.io.Serializable};
 * every parallel subtask gets its own copy, made by serialization when the job is built, and calls
 * it from one thread only, so it may keep state handles and other per-subtask fields (mark them
 * {@code transient} and set them in {@code open}).
 *
 * <p>Any exception a function throws fails the job (or triggers its restart strategy), with the
 * operator's name and subtask in the job's status.
 */
@Export
@Version("1.0.0")
package io.runnel.api.functions;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
