package io.logpush.job;

import io.logpush.config.Dataset;
import io.logpush.config.cli.Cli;
import io.logpush.config.cli.PolicyOptions;
import io.logpush.config.broadcast.KafkaConfigBootstrap;
import io.logpush.config.topic.ConfigTopics;
import io.logpush.job.functions.HotJobs;
import io.logpush.job.kafka.LogpushKafka;
import io.logpush.sink.BatchFileSink;
import io.logpush.sink.JobLanes;
import io.logpush.sink.delivery.DeliveryPolicy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The Logpush job's entry point: parses options and runs {@link LogpushPipeline} with Kafka
 * sources and sinks, either submitted to a cluster ({@code flink run}) or, with {@code --local},
 * in a local cluster with the web UI, resuming from the latest retained checkpoint.
 */
@Command(name = "logpush run", mixinStandardHelpOptions = true, version = "logpush 0.1.0",
        description = "Run the Logpush pipeline against an existing Kafka.")
public final class LogpushJobMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(LogpushJobMain.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-b", "--bootstrap-servers"}, required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--events-topic", description = "Events topic (default: ${DEFAULT-VALUE}).")
    String eventsTopic = ConfigTopics.EVENTS;

    @Option(names = "--events-dataset", paramLabel = "DATASET", description = "The dataset of the events topic's events that"
            + " have no 'dataset' header, for a topic that carries one dataset: its producers may leave the header out, which"
            + " spares the source decoding it (default: none, every event names its dataset).")
    String eventsDataset;

    @Option(names = "--config-topic", description = "Config topic (default: ${DEFAULT-VALUE}).")
    String configTopic = ConfigTopics.CONFIG;

    @Option(names = "--status-topic", description = "Config status topic (default: ${DEFAULT-VALUE}).")
    String statusTopic = ConfigTopics.STATUS;

    @Option(names = "--dlq-topic", description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
    String dlqTopic = ConfigTopics.DLQ;

    @Option(names = "--health-topic", description = "Job health topic, compacted (default: ${DEFAULT-VALUE}).")
    String healthTopic = ConfigTopics.HEALTH;

    @Option(names = "--staging-dir", paramLabel = "URI",
            description = "System-owned storage where batches are staged before delivery, parked while their destination "
                    + "fails, and dead-lettered after the retention; as durable as the checkpoints "
                    + "(required on a cluster; with --local, a folder under the temp dir).")
    String stagingDir;

    @Option(names = "--delivery-retention", paramLabel = "DURATION",
            description = "How long a failing job's batches stay parked before the job is disabled and they are "
                    + "dead-lettered, e.g. 24h, 30m (default: ${DEFAULT-VALUE}).")
    String deliveryRetention = "24h";

    @Option(names = "--delivery-backoff", paramLabel = "DURATION",
            description = "First retry delay for a failing destination, doubled up to 5 minutes (default: ${DEFAULT-VALUE}).")
    String deliveryBackoff = "5s";

    @Option(names = "--delivery-timeout", paramLabel = "DURATION",
            description = "How long one delivery may go without an answer before it counts as failed; it runs on, "
                    + "holding only its own job (default: ${DEFAULT-VALUE}).")
    String deliveryTimeout = "2m";

    @Option(names = "--delivery-threads", paramLabel = "N",
            description = "Deliveries running at once per parallel instance, one per job (default: ${DEFAULT-VALUE}).")
    int deliveryThreads = DeliveryPolicy.DEFAULT.concurrentAttempts();

    @Option(names = "--concurrent-closes", paramLabel = "N",
            description = "Finished objects made durable at once per parallel instance, off the task thread: "
                    + "an fsync, or the last part's upload to S3 (default: ${DEFAULT-VALUE}).")
    int concurrentCloses = 8;

    @Option(names = "--gzip-level", paramLabel = "1-9",
            description = "Deflate level of the batch objects, 1 (fastest) to 9 (smallest): compression is most of the "
                    + "sink's CPU; level 1 takes about a third of level 6's, for objects 20–30% larger (default: ${DEFAULT-VALUE}).")
    int gzipLevel = BatchFileSink.DEFAULT_GZIP_LEVEL;

    @Option(names = "--hot-job-lanes", paramLabel = "N",
            description = "Buffer lanes a hot job is spread over, each with objects of its own; 1 never spreads a job "
                    + "(default: the parallelism, at most " + JobLanes.MAX_LANES + ").")
    int hotJobLanes;

    @Option(names = "--hot-job-rate", paramLabel = "RECORDS_PER_SECOND",
            description = "A job's records per second through one router instance above which it is hot "
                    + "(default: ${DEFAULT-VALUE}).")
    int hotJobRate = HotJobs.DEFAULT_RECORDS_PER_SECOND;

    @Option(names = "--group-id", description = "Kafka consumer group and transactional id prefix (default: ${DEFAULT-VALUE}).")
    String groupId = "logpush";

    @Option(names = "--checkpoint-dir", paramLabel = "URI",
            description = "Checkpoints, retained on stop (default: the cluster's; with --local, a folder under the temp dir).")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", paramLabel = "SECONDS", description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    int checkpointSeconds = 10;

    @Option(names = "--parallelism", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = "--local", description = "Run in a local cluster with the web UI (what ./logpush run does).")
    boolean local;

    @Option(names = "--web-ui-port", description = "Web UI port in --local mode (default: ${DEFAULT-VALUE}).")
    int webUiPort = 8081;

    @Mixin
    PolicyOptions policy = new PolicyOptions();

    public static void main(String[] args) {
        // No System.exit on success: inside a cluster main() must simply return.
        int code = Cli.commandLine(new LogpushJobMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        Dataset topicDataset = topicDataset();
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.interval", checkpointSeconds + " s");
        if (checkpointDir == null && local) {
            checkpointDir = Path.of(System.getProperty("java.io.tmpdir"), "logpush", "checkpoints").toUri().toString();
        }
        if (checkpointDir != null) {
            conf.setString("execution.checkpointing.dir", checkpointDir);
        }
        if (stagingDir == null && local) {
            stagingDir = Path.of(System.getProperty("java.io.tmpdir"), "logpush", "staging").toUri().toString();
        }
        if (stagingDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--staging-dir is required on a cluster: durable storage such as s3://logpush-system/staging");
        }
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        conf.setString("restart-strategy.type", "exponential-delay");
        StreamExecutionEnvironment env;
        if (local) {
            conf.setString("rest.port", Integer.toString(webUiPort));
            conf.setString("taskmanager.numberOfTaskSlots", Integer.toString(parallelism));
            latestCheckpoint(checkpointDir).ifPresent(path -> {
                LOG.info("Resuming from the latest retained checkpoint {}", path);
                conf.setString("execution.state-recovery.path", path);
            });
            // Local mode: file systems (S3 credentials) must be set up before the pipeline is built.
            FileSystem.initialize(conf, null);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        env.setParallelism(parallelism);
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", bootstrapServers);
        PipelineSettings settings = PipelineSettings.defaults(new KafkaConfigBootstrap(kafka, configTopic, Duration.ofMinutes(2)))
                .withPolicy(policy.policy()).withHotJobs(hotJobLanes, hotJobRate);
        LogpushPipeline.build(env, LogpushKafka.events(kafka, eventsTopic, topicDataset, groupId),
                LogpushKafka.configs(kafka, configTopic, groupId),
                BatchFileSink.builder().staging(stagingDir).delivery(deliveryPolicy()).concurrentCloses(concurrentCloses)
                        .gzipLevel(gzipLevel).health(LogpushKafka.health(kafka, healthTopic)).build(),
                LogpushKafka.deadLetters(kafka, dlqTopic, groupId),
                LogpushKafka.configStatus(kafka, statusTopic), settings);
        if (local) {
            System.out.println("Logpush is running: web UI on http://localhost:" + webUiPort + ", checkpoints in " + checkpointDir);
        }
        env.execute("Logpush");
        return 0;
    }

    private DeliveryPolicy deliveryPolicy() {
        Duration backoff = TimeUtils.parseDuration(deliveryBackoff);
        Duration max = DeliveryPolicy.DEFAULT.maxBackoff();
        return DeliveryPolicy.DEFAULT.withRetention(TimeUtils.parseDuration(deliveryRetention))
                .withBackoff(backoff, backoff.compareTo(max) > 0 ? backoff : max)
                .withAttempts(TimeUtils.parseDuration(deliveryTimeout), deliveryThreads);
    }

    /** The dataset {@code --events-dataset} names, or null; refused with the datasets there are if unknown. */
    private Dataset topicDataset() {
        if (eventsDataset == null) {
            return null;
        }
        return Dataset.byName(eventsDataset).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "--events-dataset: unknown dataset '" + eventsDataset + "'; the datasets are " + new TreeSet<>(Dataset.names())));
    }

    /** The newest complete checkpoint ({@code chk-N/_metadata}) under a local checkpoint directory. */
    static Optional<String> latestCheckpoint(String checkpointDir) throws IOException {
        URI uri = URI.create(checkpointDir);
        if (!"file".equals(uri.getScheme()) || !Files.isDirectory(Path.of(uri))) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(Path.of(uri), 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .filter(p -> p.getParent().getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .map(p -> p.getParent().toUri().toString());
        }
    }
}
