/**
 * Keyed state: values a keyed function keeps per key, obtained in {@code open} from the
 * {@link io.runnel.api.functions.RuntimeContext} by descriptor. Every access reads or writes the
 * state of the key of the record (or timer) being processed. State is what checkpoints save and
 * restore; its descriptor's name identifies it within the operator.
 */
@Export
@Version("1.0.0")
package io.runnel.api.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
