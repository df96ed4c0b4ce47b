/**
 * Test harnesses for the functions of a Runnel job. A harness runs one operator with the real
 * engine code (state backend, timers) but no threads: the test hands it records, watermarks and
 * processing time, and reads what came out. With {@code snapshotAndRestoreEveryStep()} the operator
 * is snapshotted, thrown away and restored into a fresh instance after every step, so a function
 * that keeps anything outside its checkpointed state is caught.
 */
@Export
@Version("1.0.0")
package io.runnel.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
