package io.logpush.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** A benchmark's figures and how they were taken, written as {@code results.md} and {@code results.json}. */
record BenchReport(String started, int parallelism, int checkpointSeconds, int batchIntervalSeconds, int gzipLevel,
                   int latencyBatchIntervalSeconds, int partitions, boolean datasetHeader,
                   long events, long sweepEvents, long seed, int repeat, WarmUp warmUp, List<RunResult> runs, List<LatencyResult> latencies, Map<String, String> profiles) {

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writerWithDefaultPrettyPrinter().writeValue(directory.resolve("results.json").toFile(), this);
        Files.writeString(directory.resolve("results.md"), markdown());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n")
                .append(String.format("Run %s on %d cores (%s, Java %s): parallelism %d, %d partitions, RocksDB with incremental"
                                + " checkpoints every %d s, jobs' batch interval %d s, our objects %s, %,d events per run (%,d in the jobs sweep), seed %d%s.%n%n",
                        started, Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                        System.getProperty("java.version"), parallelism, partitions, checkpointSeconds, batchIntervalSeconds,
                        gzipLevel == 0 ? "uncompressed (like the naive job's)" : "gzip level " + gzipLevel, events, sweepEvents, seed,
                        datasetHeader ? "" : ", events without a dataset header (ours reads the topic as one dataset's)"))
                .append("Rates: *events/s* over the whole run (job initialisation to end, the final commit included); *steady*"
                        + " over the time after startup (every task running: state restored, configs bootstrapped); *mid-run*"
                        + " from 10% to 90% of the topic read (the events source's own counters), without startup and without"
                        + " the end of input (the last batches' flush, the final checkpoint and commit). Ratios compare steady"
                        + " rates. *Cores*: this JVM's CPU time over the run (the broker runs in its own JVM)."
                        + " *JIT s*: the part of that time the JIT compilers spent, which a job running for days does not pay.\n\n")
                .append(warmUp.min() > 0 ? String.format("Before each workload's measured runs (the jobs sweep: only if it comes first), each"
                        + " contender ran unmeasured warm-up runs of it in this JVM (class loading, JIT compilation): at least %d, then"
                        + " more while a run's steady rate gained more than %.0f%% on the run before, at most %d (*warm-ups*).%n%n",
                        warmUp.min(), WarmUp.SETTLED_GAIN * 100, warmUp.max()) : "")
                .append(repeat > 1 ? String.format("Each row is the median of %d runs by steady rate.%n%n", repeat) : "")
                .append("| workload | jobs | contender | events/s | steady events/s | mid-run events/s | × ceiling | × naive | startup s | seconds | cores"
                        + " | JIT s | warm-ups | events/s/core | delivered / expected | objects | output MiB | live heap max MiB | state max MiB"
                        + " | checkpoints | ckpt p50 / max ms |\n")
                .append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult run : runs) {
            md.append(String.format("| %s | %,d | %s | %,.0f | %,.0f | %s | %s | %s | %.1f | %.1f | %.2f | %.1f | %d | %,.0f | %s | %,d | %,.1f | %s | %,.1f"
                            + " | %d | %,d / %,d |%n",
                    run.workload(), run.jobs(), run.contender(), run.eventsPerSecond(), run.steadyEventsPerSecond(),
                    midRun(run), ratio(run, "ceiling"), ratio(run, "naive"), run.startupSeconds(), run.seconds(), run.coresUsed(),
                    run.jitSeconds(), run.warmUps(), run.eventsPerSecondPerCore(),
                    run.contender().equals("ceiling") ? "(discarded)" : String.format("%,d / %,d", run.delivered(), run.expectedDelivered()),
                    run.objects(), run.outputBytes() / 1048576.0, liveHeap(run), run.stateBytesMax() / 1048576.0,
                    run.checkpoints(), run.checkpointP50Millis(), run.checkpointMaxMillis()));
        }
        appendCloseReasons(md);
        if (!latencies.isEmpty()) {
            md.append(String.format("%n## Event → committed object latency (paced run on the cloudflare mix, batch interval %d s)%n%n",
                            latencyBatchIntervalSeconds))
                    .append("| contender | rate/s | seconds | records seen / produced | p50 ms | p99 ms | max ms |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (LatencyResult l : latencies) {
                md.append(String.format("| %s | %,d | %d | %,d / %,d | %,d | %,d | %,d |%n", l.contender(), l.ratePerSecond(), l.seconds(),
                        l.records(), l.produced(), l.p50Millis(), l.p99Millis(), l.maxMillis()));
            }
        }
        profiles.forEach((run, summary) -> md.append("\n## Where the time goes: ").append(run)
                .append(" (async-profiler, per thread)\n\n```\n").append(summary).append("\n```\n"));
        return md.toString();
    }

    /** Why each run of ours closed its batches: what its object count is made of. */
    private void appendCloseReasons(StringBuilder md) {
        SortedSet<String> reasons = new TreeSet<>();
        runs.forEach(run -> reasons.addAll(run.batchesClosed().keySet()));
        if (reasons.isEmpty()) {
            return;
        }
        md.append("\n## Why our batches closed (the job buffers' `batchesClosed<Reason>` counters)\n\n| workload | contender | objects");
        reasons.forEach(reason -> md.append(" | ").append(reason.replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase()));
        md.append(" |\n|---|---|---:").append("|---:".repeat(reasons.size())).append("|\n");
        for (RunResult run : runs) {
            if (!run.batchesClosed().isEmpty()) {
                md.append(String.format("| %s | %s | %,d", run.workload(), run.contender(), run.objects()));
                reasons.forEach(reason -> md.append(String.format(" | %,d", run.batchesClosed().getOrDefault(reason, 0L))));
                md.append(" |\n");
            }
        }
    }

    /** The run's live heap maximum in MiB, or a dash if the run had no forced collection reported. */
    static String liveHeap(RunResult run) {
        return run.liveHeapMaxMiB() < 0 ? "–" : String.format("%,d", run.liveHeapMaxMiB());
    }

    /** The run's mid-run rate, or a dash for a run too short to time it. */
    private static String midRun(RunResult run) {
        return Double.isNaN(run.midRunEventsPerSecond()) ? "–" : String.format("%,.0f", run.midRunEventsPerSecond());
    }

    /** This run's steady rate over the given contender's on the same workload, or a dash. */
    private String ratio(RunResult run, String other) {
        Optional<RunResult> base = runs.stream()
                .filter(r -> r.workload().equals(run.workload()) && r.contender().equals(other)).findFirst();
        return base.map(b -> String.format("%.2f", run.steadyEventsPerSecond() / b.steadyEventsPerSecond())).orElse("–");
    }
}
