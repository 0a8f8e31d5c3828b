package io.logpush.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;

/**
 * A paced, unbounded run: the contender runs on an empty topic, events are produced at a fixed
 * rate, and every 100 ms the destination is listed; each record's latency is the moment its object
 * was first seen minus its {@code EdgeStartTimestamp} (set when it was produced).
 */
final class LatencyProbe {

    private static final String TIME_FIELD = "\"EdgeStartTimestamp\":";

    private final BenchRunner runner;
    private final WorkloadLoader loader;
    private final Properties kafka;
    private final int gzipLevel;

    LatencyProbe(BenchRunner runner, WorkloadLoader loader, Properties kafka, int gzipLevel) {
        this.runner = runner;
        this.loader = loader;
        this.kafka = kafka;
        this.gzipLevel = gzipLevel;
    }

    LatencyResult measure(Contender contender, Workload workload, Path root, int seconds, int rate, int partitions,
                          int batchIntervalSeconds) throws Exception {
        if (contender == Contender.CEILING) {
            throw new IllegalArgumentException("the ceiling writes nothing: it has no delivery latency");
        }
        BenchTopics topics = new BenchTopics("latency-" + contender.label());
        loader.createTopics(topics, partitions);
        Path output = root.resolve("output");
        loader.publishJobs(workload, topics, output.toUri().toString().replaceAll("/$", ""), batchIntervalSeconds);
        BenchSetup setup = new BenchSetup(kafka, workload, topics, topics.prefix(), output, false, gzipLevel, 0, loader.datasetHeader());
        Path checkpoints = root.resolve("checkpoints");
        MiniCluster cluster = runner.cluster(checkpoints);
        JobID id = cluster.submitJob(runner.jobGraph(contender, setup, checkpoints)).get().getJobID();
        try {
            awaitRunning(cluster, id);
            AtomicLong configured = new AtomicLong();
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(workload, topics, seconds, rate, configured));
            long[] latencies = new long[1024];
            int count = 0;
            Set<Path> seen = new HashSet<>();
            long deadline = System.nanoTime() + (seconds + 150L) * 1_000_000_000L;
            while (!(producing.isDone() && count >= configured.get()) && System.nanoTime() < deadline) {
                producing.getNow(null); // rethrows a producer failure
                long now = System.currentTimeMillis();
                for (Path file : OutputTally.visibleFiles(output)) {
                    if (seen.add(file)) {
                        for (long time : eventTimes(file)) {
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count++] = now - time;
                        }
                    }
                }
                Thread.sleep(100);
            }
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return new LatencyResult(contender.label(), rate, seconds, configured.get(), count,
                    percentile(sorted, 0.50), percentile(sorted, 0.99), count == 0 ? 0 : sorted[count - 1]);
        } finally {
            // The job runs until cancelled; the next run needs the cluster's slots.
            if (!cluster.getJobStatus(id).get().isGloballyTerminalState()) {
                cluster.cancelJob(id).get();
            }
            cluster.requestJobResult(id).get();
            BatchCloseTally.take(id); // not reported: the paced run is about latency
        }
    }

    private void produce(Workload workload, BenchTopics topics, int seconds, int rate, AtomicLong configured) {
        long perTick = Math.max(1, rate / 10);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = loader.producer()) {
            for (int tick = 0; tick < seconds * 10; tick++) {
                long due = start + tick * 100_000_000L;
                while (System.nanoTime() < due) {
                    // Pacing is this thread's job: wait for the tick, nothing else to await.
                    Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
                }
                configured.addAndGet(loader.produceEvents(workload, topics, tick * perTick, perTick, producer));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitRunning(MiniCluster cluster, JobID id) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (cluster.getJobStatus(id).get() == JobStatus.RUNNING && StreamSupport
                    .stream(cluster.getExecutionGraph(id).get().getAllExecutionVertices().spliterator(), false)
                    .map(AccessExecutionVertex::getExecutionState).allMatch(ExecutionState.RUNNING::equals)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the job did not start within 2 minutes");
    }

    /** The event times (ms) of a committed object's records. */
    private static long[] eventTimes(Path file) throws IOException {
        long[] times = new long[256];
        int n = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(OutputTally.open(file), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int at = line.indexOf(TIME_FIELD);
                if (at < 0) {
                    continue;
                }
                int from = at + TIME_FIELD.length();
                int to = from;
                while (to < line.length() && Character.isDigit(line.charAt(to))) {
                    to++;
                }
                if (n == times.length) {
                    times = Arrays.copyOf(times, n * 2);
                }
                times[n++] = Long.parseLong(line, from, to, 10) / 1_000_000;
            }
        }
        return Arrays.copyOf(times, n);
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
}
