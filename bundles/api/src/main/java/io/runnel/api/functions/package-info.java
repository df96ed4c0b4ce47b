/**
 * The functions users write: one-method interfaces that operators call once per record. Runnel calls
 * each function instance from one thread only, so implementations need no synchronisation. Any
 * exception a function throws fails the job (or triggers its restart strategy), with the operator's
 * name in the job's status.
 */
@Export
@Version("1.0.0")
package io.runnel.api.functions;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
