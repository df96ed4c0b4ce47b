/**
 * The throughput harness: the workloads of BENCHMARKS.md on Runnel's engine and as a hand-written
 * single-threaded loop, one measurement per run, ending in a RESULT line.
 */
package io.runnel.bench;
