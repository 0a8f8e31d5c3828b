package io.logpush.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStatsSummarySnapshot;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * Runs contenders one after another on one MiniCluster (one TaskManager, a slot per parallel
 * instance, RocksDB with incremental checkpoints, no restarts: a failure fails the run) and
 * measures each run.
 *
 * <p>The cluster outlives the runs, as a TaskManager outlives the jobs it runs. A cluster per run
 * loaded Flink's RPC system (Pekko, Scala) into a class loader of its own each time. The new
 * classes made the JIT discard and recompile code that every run uses: after three warm-up runs,
 * the compilers still took half the CPU of our measured run on the mix (steps.md §28).
 */
final class BenchRunner implements AutoCloseable {

    private final int parallelism;
    private final Duration checkpointInterval;
    private final Map<String, String> flinkOptions;
    private MiniCluster shared;

    BenchRunner(int parallelism, Duration checkpointInterval, Map<String, String> flinkOptions) {
        this.parallelism = parallelism;
        this.checkpointInterval = checkpointInterval;
        this.flinkOptions = Map.copyOf(flinkOptions);
    }

    /** A bounded run: the contender reads the topic to its end and finishes; {@code expected} is what it should deliver. */
    RunResult run(Contender contender, BenchSetup setup, long expected, Path checkpoints) throws Exception {
        MiniCluster cluster = cluster(checkpoints);
        JobGraph graph = jobGraph(contender, setup, checkpoints);
        System.gc();
        try (ResourceSampler sampler = new ResourceSampler()) {
            JobID id = cluster.submitJob(graph).get().getJobID();
            ReadProgress progress = ReadProgress.watch(id, setup.workload().events());
            JobResult result;
            try {
                result = cluster.requestJobResult(id).get();
            } finally {
                progress.close();
            }
            sampler.close();
            if (!result.isSuccess()) {
                throw new IllegalStateException(contender.label() + " failed on " + setup.workload().name(),
                        result.getSerializedThrowable().map(t -> t.deserializeError(getClass().getClassLoader())).orElse(null));
            }
            return result(contender, setup, expected, cluster.getArchivedExecutionGraph(id).get(), sampler,
                    progress.midRunEventsPerSecond(), BatchCloseTally.take(id));
        }
    }

    /** Stops the cluster the runs shared. */
    @Override
    public void close() throws Exception {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** The cluster all runs share, started on first use; a job's checkpoint folder is its own setting, in its graph. */
    MiniCluster cluster(Path checkpoints) throws Exception {
        if (shared == null) {
            shared = start(checkpoints);
        }
        return shared;
    }

    private MiniCluster start(Path checkpoints) throws Exception {
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration(checkpoints))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .build());
        cluster.start();
        return cluster;
    }

    JobGraph jobGraph(Contender contender, BenchSetup setup, Path checkpoints) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(checkpoints));
        env.setParallelism(parallelism);
        contender.build(env, setup);
        return env.getStreamGraph().getJobGraph();
    }

    private Configuration configuration(Path checkpoints) {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.interval", checkpointInterval.toMillis() + " ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("taskmanager.memory.managed.size", "512m");
        conf.setString("restart-strategy.type", "none");
        BenchMetricsReporter.register(conf);
        flinkOptions.forEach(conf::setString);
        return conf;
    }

    /**
     * The run's figures. Its time runs from the job's initialisation to its end; startup ends when
     * the last task is running (state restored, config bootstrapped, connections made), and the
     * steady rate counts the time after it.
     */
    private static RunResult result(Contender contender, BenchSetup setup, long expected, AccessExecutionGraph job,
                                    ResourceSampler sampler, double midRun, Map<String, Long> batchesClosed) {
        OutputTally output = OutputTally.of(setup.output());
        long initializing = job.getStatusTimestamp(JobStatus.INITIALIZING);
        long running = StreamSupport.stream(job.getAllExecutionVertices().spliterator(), false)
                .mapToLong(v -> v.getStateTimestamp(ExecutionState.RUNNING)).max().orElse(initializing);
        double seconds = (job.getStatusTimestamp(JobStatus.FINISHED) - initializing) / 1000.0;
        double startup = (running - initializing) / 1000.0;
        long events = setup.workload().events();
        double rate = events / seconds;
        CheckpointStatsSnapshot checkpoints = job.getCheckpointStatsSnapshot();
        CompletedCheckpointStatsSummarySnapshot summary = checkpoints.getSummaryStats();
        long completed = checkpoints.getCounts().getNumberOfCompletedCheckpoints();
        return new RunResult(setup.workload().name(), contender.label(), setup.workload().jobs(), events,
                contender == Contender.CEILING ? 0 : expected, output.records(), output.objects(), output.bytes(),
                seconds, startup, rate, events / (seconds - startup), midRun, sampler.coresUsed(), sampler.jitSeconds(),
                rate / Math.max(sampler.coresUsed(), 0.01),
                sampler.liveHeapMaxBytes() < 0 ? -1 : sampler.liveHeapMaxBytes() >> 20, completed == 0 ? 0 : summary.getStateSizeStats().getMaximum(), completed,
                completed == 0 ? 0 : Math.round(summary.getEndToEndDurationStats().getQuantile(0.5)),
                completed == 0 ? 0 : summary.getEndToEndDurationStats().getMaximum(), 0, batchesClosed);
    }
}
