package io.logpush.bench;

import io.logpush.config.cli.Cli;
import io.logpush.config.testutils.KafkaBrokerProcess;
import io.logpush.sink.BatchFileSink;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code logpush bench}: pre-loads a Kafka topic per workload (a broker of its own, as its own
 * JVM), then runs the ceiling, the naive FileSink job and our pipeline one after another on that
 * same topic, bounded, on fresh MiniClusters with the same parallelism, checkpointing and state
 * backend, and writes the figures as markdown and JSON.
 */
@Command(name = "logpush bench", mixinStandardHelpOptions = true, version = "logpush 0.1.0",
        subcommands = MicroBenchmarks.class,
        description = "Measure our pipeline against the ceiling (KafkaSource → discard) and a naive FileSink job on one pre-loaded topic.")
public final class BenchCommand implements Callable<Integer> {

    private static final String DISCARDED = "discarded";
    private static final long MIN_FREE_BYTES = 10L << 30;

    @Spec
    CommandSpec spec;

    @Option(names = "--events", description = "Events per run of mix, flood and all: enough that startup, the JIT compiler"
            + " and the end of input weigh little in a run (default: ${DEFAULT-VALUE}).")
    long events = 5_000_000;

    @Option(names = "--sweep-events", description = "Events per run of the jobs sweep: fixed while the number of jobs grows"
            + " (default: ${DEFAULT-VALUE}).")
    long sweepEvents = 1_000_000;

    @Option(names = "--workloads", split = ",", description = "Workloads: mix, flood, all, sweep (default: ${DEFAULT-VALUE}).")
    List<String> workloads = List.of("mix", "flood", "all", "sweep");

    @Option(names = "--all-jobs", description = "Jobs in the all-configured workload (default: ${DEFAULT-VALUE}).")
    int allJobs = 1_000;

    @Option(names = "--sweep-jobs", split = ",", description = "Job counts of the sweep, all configured (default: ${DEFAULT-VALUE}).")
    List<Integer> sweepJobs = List.of(100, 1_000, 10_000, 100_000);

    @Option(names = "--contenders", split = ",", description = "Who runs on mix, flood and all: ceiling, naive, naive_gzip (the naive job writing gzip files), ours"
            + " (default: ${DEFAULT-VALUE}).")
    List<Contender> contenders = List.of(Contender.CEILING, Contender.NAIVE, Contender.OURS);

    @Option(names = "--sweep-contenders", split = ",", description = "Who runs on the sweep (default: ${DEFAULT-VALUE}).")
    List<Contender> sweepContenders = List.of(Contender.OURS);

    @Option(names = "--parallelism", description = "Parallelism of every job (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = "--partitions", description = "Partitions of the events topic (default: ${DEFAULT-VALUE}).")
    int partitions = 4;

    @Option(names = "--checkpoint-interval", paramLabel = "SECONDS", description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    int checkpointSeconds = 5;

    @Option(names = "--batch-interval", paramLabel = "SECONDS",
            description = "The jobs' max_upload_interval_seconds in throughput runs; Cloudflare's default (default: ${DEFAULT-VALUE}).")
    int batchIntervalSeconds = 30;

    @Option(names = "--gzip-level", paramLabel = "0-9",
            description = "Our sink's deflate level, 1 (fastest) to 9 (smallest); 0 writes our objects uncompressed, as the naive"
                    + " job writes its files, to compare the pipelines without gzip (default: ${DEFAULT-VALUE}, the job's default).")
    int gzipLevel = BatchFileSink.DEFAULT_GZIP_LEVEL;

    @Option(names = "--hot-job-lanes", paramLabel = "N",
            description = "The lanes our pipeline spreads a hot job over (above 20,000 records/s at a router instance); 1 never"
                    + " spreads one (default: the job's default, the parallelism).")
    int hotJobLanes;

    @Option(names = "--latency-batch-interval", paramLabel = "SECONDS",
            description = "The jobs' max_upload_interval_seconds in the latency run (default: ${DEFAULT-VALUE}).")
    int latencyBatchIntervalSeconds = 5;

    @Option(names = "--latency-seconds", description = "Length of the paced latency run per contender on the mix; 0 skips it (default: ${DEFAULT-VALUE}).")
    int latencySeconds = 30;

    @Option(names = "--latency-contenders", split = ",", description = "Who runs the latency run (default: ${DEFAULT-VALUE}).")
    List<Contender> latencyContenders = List.of(Contender.NAIVE, Contender.OURS);

    @Option(names = "--latency-rate", description = "Events per second in the latency run (default: ${DEFAULT-VALUE}).")
    int latencyRate = 2_000;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "A Flink option for every run, e.g. -Dstate.backend.rocksdb.use-bloom-filter=true.")
    Map<String, String> flinkOptions = new LinkedHashMap<>();

    @Option(names = "--repeat", description = "Runs of each contender on each workload; the run with the median steady rate"
            + " is reported (single runs here vary by 15%% and more) (default: ${DEFAULT-VALUE}).")
    int repeat = 1;

    @Option(names = "--warmup", description = "Unmeasured runs of each contender before each workload's measured runs, at least"
            + " (the jobs sweep: before its first point only, if it comes first): the first runs in a JVM pay for class"
            + " loading and JIT compilation, and code warmed on one workload runs another slower (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--max-warmup", description = "Unmeasured runs at most: after --warmup, a contender warms up further while"
            + " a run's steady rate gains more than 5%% on the run before (default: ${DEFAULT-VALUE}; at least --warmup).")
    int maxWarmup = 8;

    @Option(names = "--dataset-header", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Events name their dataset in a header (the default); --no-dataset-header sends none, and ours"
                    + " reads the events topic as one dataset's (--events-dataset), which spares the source decoding headers.")
    boolean datasetHeader;

    @Option(names = "--seed", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--profile", arity = "0..1", fallbackValue = "CPU", paramLabel = "cpu|wall",
            description = "Profile each contender's measured runs per thread (async-profiler, native code included) and list where"
                    + " each busy thread spends its samples: of CPU time (--profile, --profile=cpu), or of wall-clock time, waits"
                    + " included (--profile=wall). The stacks go to profile-<workload>-<contender>.collapsed.")
    ThreadProfile.Kind profile;

    @Option(names = "--results", paramLabel = "DIR", description = "Where results.md and results.json go (default: ${DEFAULT-VALUE}).")
    Path results = Path.of("bench", "results");

    @Option(names = "--work", paramLabel = "DIR", description = "Scratch space for outputs and checkpoints, kept afterwards (default: a new temporary folder, deleted at the end).")
    Path work;

    public static void main(String[] args) {
        Cli.run(new BenchCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (gzipLevel < 0 || gzipLevel > 9) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--gzip-level must be 0 (uncompressed) to 9, not " + gzipLevel);
        }
        if (warmup < 0 || repeat < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must be 0 or more and --repeat 1 or more");
        }
        boolean temporaryWork = work == null;
        if (temporaryWork) {
            work = Files.createTempDirectory("logpush-bench");
        }
        try {
            return measure();
        } finally {
            if (temporaryWork) {
                deleteRecursively(work); // outputs and checkpoints: gigabytes at 100,000 jobs
            }
        }
    }

    private Integer measure() throws Exception {
        List<RunResult> runs = new ArrayList<>();
        List<LatencyResult> latencies = new ArrayList<>();
        Map<String, String> profiles = new LinkedHashMap<>();
        Instant started = Instant.now();
        try (KafkaBrokerProcess kafka = new KafkaBrokerProcess();
             BenchRunner runner = new BenchRunner(parallelism, Duration.ofSeconds(checkpointSeconds), flinkOptions)) {
            kafka.startFresh();
            WorkloadLoader loader = new WorkloadLoader(kafka.clientProperties(), datasetHeader);
            List<Workload> planned = workloads();
            for (Workload workload : planned) {
                List<Contender> who = workload.isJobsSweep() ? sweepContenders : contenders;
                BenchTopics topics = new BenchTopics(workload.name());
                loader.createTopics(topics, partitions);
                Path root = work.resolve(workload.name());
                loader.publishJobs(workload, topics, root.resolve("ours").toUri().toString().replaceAll("/$", ""), batchIntervalSeconds);
                long loadStart = System.nanoTime();
                long configured;
                try (KafkaProducer<byte[], byte[]> producer = loader.producer()) {
                    configured = loader.produceEvents(workload, topics, 0, workload.events(), producer);
                }
                System.out.printf("%s: loaded %,d events (%,d for %,d configured jobs) in %.1f s%n", workload.name(),
                        workload.events(), configured, workload.jobs(), (System.nanoTime() - loadStart) / 1e9);
                for (Contender contender : who) {
                    // Warmed on the workload it measures: a job warmed on the mix, which buffers and writes a tenth
                    // of its events, then ran all configured up to a fifth slower than when warmed on it (steps.md §31).
                    WarmUp warming = !workload.isJobsSweep() || workload == planned.get(0) ? warmUp() : WarmUp.NONE;
                    List<Double> warmUpRates = new ArrayList<>();
                    List<RunResult> attempts = new ArrayList<>();
                    for (int attempt = 0; attempts.size() < repeat; attempt++) {
                        boolean measured = warming.done(warmUpRates);
                        // Each attempt reads the topic from the start (its own consumer group) into an empty output.
                        Path output = root.resolve(contender.label());
                        discard(output);
                        discard(output.resolveSibling(output.getFileName() + "-staging"));
                        BenchSetup setup = new BenchSetup(kafka.clientProperties(), workload, topics,
                                workload.name() + "-" + contender.label() + (attempt == 0 ? "" : "-" + attempt), output, true, gzipLevel, hotJobLanes, datasetHeader);
                        Path checkpoints = root.resolve("checkpoints-" + contender.label() + "-" + attempt);
                        ThreadProfile recording = measured && profile != null ? ThreadProfile.start(profile) : null;
                        RunResult run = runner.run(contender, setup, configured, checkpoints);
                        discard(checkpoints);
                        if (recording != null) {
                            String profiled = workload.name() + "-" + contender.label();
                            profiles.put(profiled, recording.stopAndSummarize(results.resolve("profile-" + profiled + ".collapsed"), 20));
                        }
                        if (measured) {
                            attempts.add(run.afterWarmUps(warmUpRates.size()));
                        } else {
                            warmUpRates.add(run.steadyEventsPerSecond());
                        }
                        System.out.printf("  %-10s %,10.0f events/s (steady %,.0f, mid-run %,.0f, startup %.1f s)  %4.2f cores"
                                        + " (JIT %.1f s)  live heap %5s MiB  delivered %,d of %,d  (%.1f s)%s%n", contender.label(),
                                run.eventsPerSecond(), run.steadyEventsPerSecond(), run.midRunEventsPerSecond(), run.startupSeconds(),
                                run.coresUsed(), run.jitSeconds(), BenchReport.liveHeap(run),
                                run.delivered(), run.expectedDelivered(), run.seconds(), measured ? "" : "  [warm-up, not counted]");
                    }
                    attempts.sort(Comparator.comparingDouble(RunResult::steadyEventsPerSecond));
                    runs.add(attempts.get(attempts.size() / 2));
                }
                try (Admin admin = Admin.create(kafka.clientProperties())) {
                    admin.deleteTopics(List.of(topics.events())).all().get();
                }
                if (workload.name().equals("cloudflare-mix") && latencySeconds > 0) {
                    for (Contender contender : latencyContenders) {
                        LatencyResult latency = new LatencyProbe(runner, loader, kafka.clientProperties(), gzipLevel)
                                .measure(contender, workload, work.resolve("latency-" + contender.label()), latencySeconds, latencyRate,
                                        partitions, latencyBatchIntervalSeconds);
                        latencies.add(latency);
                        System.out.printf("  latency %-10s p50 %,d ms  p99 %,d ms  (%,d of %,d records)%n", contender.label(),
                                latency.p50Millis(), latency.p99Millis(), latency.records(), latency.produced());
                    }
                }
            }
        }
        BenchReport report = new BenchReport(started.toString(), parallelism, checkpointSeconds, batchIntervalSeconds, gzipLevel,
                latencyBatchIntervalSeconds, partitions, datasetHeader, events, sweepEvents, seed, repeat, warmUp(),
                runs, latencies, profiles);
        report.write(results);
        System.out.println("Results: " + results.resolve("results.md") + " and results.json");
        return 0;
    }

    /** At least {@code --warmup} unmeasured runs, more while they still speed up, at most {@code --max-warmup}. */
    private WarmUp warmUp() {
        return new WarmUp(warmup, Math.max(warmup, maxWarmup));
    }

    /**
     * Moves a finished run's folder aside, to be deleted when the benchmark ends. Deleting thousands
     * of files just before a measured run would slow down every file that run creates, on a file
     * system like this machine's (ext4 without a journal passes over every inode freed in the last
     * one to six minutes when it allocates one, steps.md §30). Deleted at once only when the disk runs short.
     */
    private void discard(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Path discarded = work.resolve(DISCARDED);
        Files.createDirectories(discarded);
        // A folder of its own: a --work folder kept from an earlier benchmark may hold the same names.
        Path aside = Files.createTempDirectory(discarded, dir.getFileName() + "-");
        Files.move(dir, aside.resolve(dir.getFileName()));
        if (Files.getFileStore(work).getUsableSpace() < MIN_FREE_BYTES) {
            System.out.println("  (less than 10 GiB free: deleting the finished runs' outputs now)");
            deleteRecursively(discarded);
        }
    }

    /** Deletes {@code dir} and everything in it; nothing if it does not exist. */
    private static void deleteRecursively(Path dir) throws IOException {
        FileUtils.deleteDirectory(dir.toFile());
    }

    private List<Workload> workloads() {
        List<Workload> list = new ArrayList<>();
        for (String name : workloads) {
            switch (name) {
                case "mix" -> list.add(Workload.cloudflareMix(events, seed));
                case "flood" -> list.add(Workload.failOpenFlood(events, seed));
                case "all" -> list.add(Workload.allConfigured(events, allJobs, seed));
                case "sweep" -> sweepJobs.forEach(j -> list.add(Workload.jobsSweep(sweepEvents, j, seed)));
                default -> throw new IllegalArgumentException("unknown workload '" + name + "' (mix, flood, all, sweep)");
            }
        }
        return list;
    }
}
