package io.runnel.bench;

import java.util.Locale;

/**
 * One measurement: {@code Bench <workload> --events N --parallelism P [--engine runnel|baseline]}.
 * Runs a short warm-up of the same workload first (JIT), then the measured run, checks its checksum
 * against the baseline's arithmetic, and prints
 * {@code RESULT workload=<w> events=<n> parallelism=<p> seconds=<s> events_per_sec=<x>}.
 * Time runs from job submission to job end; JVM start and the warm-up are not counted.
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        String workload = null;
        long events = -1;
        int parallelism = 1;
        String engine = "runnel";
        int rate = 0;
        int latencySeconds = 20;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                case "--engine" -> engine = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--latency-seconds" -> latencySeconds = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    if (args[i].startsWith("--") || workload != null) {
                        usage("unknown argument '" + args[i] + "'");
                    }
                    workload = args[i];
                }
            }
        }
        if (workload == null) {
            usage("no workload given");
        }
        if (workload.equals("kafka-eos")) {
            if (!engine.equals("runnel") && !engine.equals("baseline")) {
                usage("unknown engine '" + engine + "': use runnel or baseline");
            }
            if (rounds < 1) {
                usage("--rounds must be at least 1, got " + rounds);
            }
            try {
                System.out.println(KafkaEosWorkload.run(new KafkaEosWorkload.Options(events < 0 ? 1_000_000 : events,
                        parallelism, engine.equals("runnel"), rate, latencySeconds, rounds)));
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage().startsWith("CHECK FAILED") ? e.getMessage() : "bench: kafka-eos failed: " + e);
                System.exit(1);
            }
            return;
        }
        if (events < 0) {
            events = 20_000_000;
        }
        long warmup = Math.min(events, 2_000_000);
        long expected = Workloads.runBaseline(workload, events)[0];
        long[] result;
        java.util.List<Long> checkpoints = java.util.List.of();
        String label = workload;
        if (engine.equals("baseline")) {
            Workloads.runBaseline(workload, warmup);
            result = Workloads.runBaseline(workload, events);
            label = workload + "-baseline";
            parallelism = 1;
        } else if (engine.equals("runnel")) {
            Workloads.runRunnel(workload, warmup, parallelism);
            Workloads.Run run = Workloads.measure(workload, events, parallelism);
            result = new long[] {run.checksum(), run.nanos()};
            checkpoints = run.checkpointMillis();
        } else {
            usage("unknown engine '" + engine + "': use runnel or baseline");
            return;
        }
        if (result[0] != expected) {
            System.err.println("CHECK FAILED: " + label + " produced checksum " + result[0] + ", expected " + expected);
            System.exit(1);
        }
        double seconds = result[1] / 1e9;
        String checkpointFigures = "";
        if ((workload.endsWith("-ckpt") || workload.equals("window-rocksdb")) && engine.equals("runnel")) {
            java.util.List<Long> sorted = checkpoints.stream().sorted().toList();
            checkpointFigures = sorted.isEmpty() ? " checkpoints=0"
                    : String.format(Locale.ROOT, " checkpoints=%d checkpoint_p50_ms=%d checkpoint_p99_ms=%d", sorted.size(),
                            percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
        System.out.printf(Locale.ROOT, "RESULT workload=%s events=%d parallelism=%d seconds=%.3f events_per_sec=%.0f%s%n",
                label, events, parallelism, seconds, events / seconds, checkpointFigures);
    }

    /** The value at {@code fraction} of a sorted list (nearest rank). */
    private static long percentile(java.util.List<Long> sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem);
        System.err.println("usage: ./runnel bench <passthrough|window|window-heap-ckpt|window-rocksdb|kafka-eos> [--events N] "
                + "[--parallelism P] [--engine runnel|baseline]\n"
                + "       kafka-eos only: [--rounds K] [--rate R] [--latency-seconds S] (K rounds of the throughput "
                + "phases, medians reported, default 3; latency phase: R records/s, default half the measured "
                + "throughput, for S seconds, default 20); --events defaults to 1000000 for kafka-eos, 20000000 "
                + "for the others");
        System.exit(2);
    }
}
