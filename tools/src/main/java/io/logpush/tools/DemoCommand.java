package io.logpush.tools;

import io.logpush.config.broadcast.KafkaConfigBootstrap;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigTopics;
import io.logpush.job.generator.HttpRequestsGenerator;
import io.logpush.job.LogpushPipeline;
import io.logpush.job.PipelineSettings;
import io.logpush.job.kafka.LogpushKafka;
import io.logpush.sink.BatchFileSink;
import io.logpush.config.DeploymentPolicy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import io.logpush.config.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code logpush demo}: an embedded Kafka broker (KRaft, 127.0.0.1), the pipeline in a local Flink
 * cluster with the web UI, five sample customer jobs writing to {@code file://} folders, and a
 * generator of realistic events for a few thousand zones. Prints progress, and on exit a summary
 * per job of events generated and delivered, which a user can check against the files.
 */
@Command(name = "logpush demo", mixinStandardHelpOptions = true, version = "logpush 0.1.0",
        description = "Run the whole pipeline on an embedded default: Kafka, local Flink with the web UI, a generator.")
public final class DemoCommand implements Callable<Integer> {

    /** Ranks of the zones that get a sample job: three busy ones, a medium one, a quiet one. */
    private static final int[] JOB_ZONES = {0, 1, 2, 50, 1500};

    @Option(names = "--seconds", description = "How long to generate events (default: ${DEFAULT-VALUE}).")
    int seconds = 60;

    @Option(names = "--out", description = "Where the sample jobs' objects and the checkpoints go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("work-dirs", "demo");

    @Option(names = "--zones", description = "Zones the generator spreads events over, Zipf-distributed (default: ${DEFAULT-VALUE}).")
    int zones = 3_000;

    @Option(names = "--rate", description = "Events per second (default: ${DEFAULT-VALUE}).")
    int rate = 2_000;

    @Option(names = "--seed", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--web-ui-port", description = "Flink web UI port (default: ${DEFAULT-VALUE}).")
    int webUiPort = 8081;

    private final AtomicBoolean stop = new AtomicBoolean();

    public static void main(String[] args) {
        Cli.run(new DemoCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || zones <= JOB_ZONES[JOB_ZONES.length - 1] || rate < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--seconds and --rate must be positive and --zones above " + JOB_ZONES[JOB_ZONES.length - 1]);
        }
        Path root = out.toAbsolutePath();
        Path objects = root.resolve("objects");
        // A run checks what it delivered by reading objects/, so an earlier run's output must go first.
        for (String previous : List.of("objects", "checkpoints", "staging")) {
            if (deleteRecursively(root.resolve(previous))) {
                System.out.println("Removed the previous run's " + root.resolve(previous));
            }
        }
        Files.createDirectories(objects);
        try (KafkaClusterTestKit kafka = startKafka()) {
            Properties props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrapServers());
            createTopics(props);
            putSampleJobs(props, objects);
            JobClient job = startPipeline(props, root);
            System.out.println("Kafka:      " + kafka.bootstrapServers() + " (embedded, KRaft)");
            System.out.println("Web UI:     http://localhost:" + webUiPort + "  (job \"Logpush demo\")");
            System.out.println("Objects:    " + objects + "/job-<id>/<YYYYMMDD>/*.log.gz");
            System.out.println("Generating " + rate + " events/s over " + zones + " zones for " + seconds + " s (Ctrl-C stops early)...");
            installStopSignals();
            Map<String, AtomicLong> generated = new ConcurrentHashMap<>();
            DeliveryCheck check = new DeliveryCheck(objects.toUri().toString());
            generate(props, generated, check);
            System.out.println("Generator stopped; waiting for the last batches (interval 5 s + checkpoint 5 s)...");
            boolean complete = awaitDelivery(generated, check, Duration.ofSeconds(60));
            job.cancel().get();
            return summary(generated, check.scan(), complete) ? 0 : 1;
        }
    }

    /** Deletes {@code dir} and everything under it; false if it did not exist. */
    private static boolean deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return false;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        return true;
    }

    private static KafkaClusterTestKit startKafka() throws Exception {
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the kit prints its storage formatting
        try {
            kafka.format();
        } finally {
            System.setOut(stdout);
        }
        kafka.startup();
        kafka.waitForReadyBrokers();
        return kafka;
    }

    private static void createTopics(Properties props) throws Exception {
        try (Admin admin = Admin.create(props)) {
            ConfigTopics.createCompactedIfMissing(admin, ConfigTopics.CONFIG, (short) 1);
            ConfigTopics.createCompactedIfMissing(admin, ConfigTopics.STATUS, (short) 1);
            ConfigTopics.createCompactedIfMissing(admin, ConfigTopics.HEALTH, (short) 1);
            admin.createTopics(List.of(new NewTopic(ConfigTopics.EVENTS, 4, (short) 1),
                    new NewTopic(ConfigTopics.DLQ, 1, (short) 1))).all().get();
        }
    }

    private static String jobJson(int id, String zone, Path objects) {
        String output = id == 3
                ? "{\"output_type\":\"csv\",\"field_names\":[\"RayID\",\"ZoneName\",\"ClientIP\",\"EdgeResponseStatus\"],"
                        + "\"batch_prefix\":\"RayID,ZoneName,ClientIP,EdgeResponseStatus\\n\"}"
                : "{\"field_names\":[\"RayID\",\"ZoneName\",\"ClientIP\",\"ClientRequestHost\",\"ClientRequestURI\","
                        + "\"EdgeResponseStatus\",\"EdgeStartTimestamp\"],\"timestamp_format\":\"rfc3339ms\"}";
        return "{\"id\":" + id + ",\"name\":\"demo job " + id + "\",\"zone_id\":\"" + zone + "\",\"dataset\":\"http_requests\","
                + "\"enabled\":true,\"destination_conf\":\"" + objects.toUri().toString().replaceAll("/$", "") + "/job-" + id
                + "/{DATE}\",\"max_upload_records\":1000,\"max_upload_interval_seconds\":5,\"output_options\":" + output + "}";
    }

    private static void putSampleJobs(Properties props, Path objects) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(props)) {
            for (int i = 0; i < JOB_ZONES.length; i++) {
                producer.send(ConfigRecordCodec.upsert(ConfigTopics.CONFIG, i + 1,
                        jobJson(i + 1, HttpRequestsGenerator.zone(JOB_ZONES[i]), objects))).get();
            }
        }
    }

    private JobClient startPipeline(Properties kafka, Path root) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("rest.port", Integer.toString(webUiPort));
        conf.setString("taskmanager.numberOfTaskSlots", "2");
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.interval", "5 s");
        conf.setString("execution.checkpointing.dir", root.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(2);
        // The demo's jobs ask for 5-second batches: below Cloudflare's 30 s minimum, which a deployment may lower.
        DeploymentPolicy policy = DeploymentPolicy.DEFAULT.withMinimums(1, 1, Duration.ofSeconds(1));
        PipelineSettings settings = PipelineSettings.defaults(new KafkaConfigBootstrap(kafka, ConfigTopics.CONFIG, Duration.ofMinutes(1)))
                .withPolicy(policy);
        LogpushPipeline.build(env, LogpushKafka.events(kafka, ConfigTopics.EVENTS, "logpush-demo"),
                LogpushKafka.configs(kafka, ConfigTopics.CONFIG, "logpush-demo"),
                BatchFileSink.builder().staging(root.resolve("staging").toUri().toString())
                        .health(LogpushKafka.health(kafka, ConfigTopics.HEALTH)).build(),
                LogpushKafka.deadLetters(kafka, ConfigTopics.DLQ, "logpush-demo"),
                LogpushKafka.configStatus(kafka, ConfigTopics.STATUS), settings);
        return env.executeAsync("Logpush demo");
    }

    /** Produces events at the rate for the duration (or until Ctrl-C), printing progress every 5 s. */
    private void generate(Properties props, Map<String, AtomicLong> generated, DeliveryCheck check) throws Exception {
        HttpRequestsGenerator generator = new HttpRequestsGenerator(zones, seed);
        long runId = System.currentTimeMillis() / 1000;
        long started = System.nanoTime();
        long total = 0;
        long nextProgress = 5;
        try (KafkaProducer<byte[], byte[]> producer = producer(props)) {
            while (!stop.get()) {
                double elapsed = (System.nanoTime() - started) / 1e9;
                if (elapsed >= seconds) {
                    break;
                }
                long due = (long) (elapsed * rate);
                for (; total < due; total++) {
                    String zone = HttpRequestsGenerator.zone(generator.nextZone());
                    String json = generator.event(zone, HttpRequestsGenerator.rayId(runId, total), Instant.now());
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(ConfigTopics.EVENTS,
                            zone.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
                    record.headers().add("dataset", "http_requests".getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                    generated.computeIfAbsent(zone, z -> new AtomicLong()).incrementAndGet();
                }
                if (elapsed >= nextProgress) {
                    progress((long) elapsed, total, generated, check);
                    nextProgress += 5;
                }
                Thread.sleep(10);
            }
        }
    }

    private static long generatedForJobs(Map<String, AtomicLong> generated) {
        long sum = 0;
        for (int rank : JOB_ZONES) {
            AtomicLong n = generated.get(HttpRequestsGenerator.zone(rank));
            sum += n == null ? 0 : n.get();
        }
        return sum;
    }

    private static void progress(long elapsed, long total, Map<String, AtomicLong> generated, DeliveryCheck check) {
        Map<String, DeliveryCheck.JobDelivery> delivered = check.scan();
        long records = delivered.values().stream().mapToLong(DeliveryCheck.JobDelivery::distinct).sum();
        long batches = delivered.values().stream().mapToLong(DeliveryCheck.JobDelivery::objects).sum();
        System.out.printf("t=%3ds  generated %,9d events (%,d for the sample jobs)  delivered %,9d  batches committed %,6d%n",
                elapsed, total, generatedForJobs(generated), records, batches);
    }

    private boolean awaitDelivery(Map<String, AtomicLong> generated, DeliveryCheck check, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, DeliveryCheck.JobDelivery> delivered = check.scan();
            long records = delivered.values().stream().mapToLong(DeliveryCheck.JobDelivery::distinct).sum();
            if (records >= generatedForJobs(generated)) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private static boolean summary(Map<String, AtomicLong> generated, Map<String, DeliveryCheck.JobDelivery> delivered, boolean complete) {
        System.out.println();
        System.out.printf("%-4s %-11s %10s %10s %11s %8s  %s%n", "JOB", "ZONE", "generated", "delivered", "duplicates", "objects", "result");
        boolean ok = complete;
        for (int i = 0; i < JOB_ZONES.length; i++) {
            String zone = HttpRequestsGenerator.zone(JOB_ZONES[i]);
            long gen = generated.getOrDefault(zone, new AtomicLong()).get();
            DeliveryCheck.JobDelivery d = delivered.get("job-" + (i + 1));
            long del = d == null ? 0 : d.distinct();
            long dup = d == null ? 0 : d.duplicates();
            boolean owners = d == null || d.owners().equals(Set.of(zone));
            boolean jobOk = gen == del && dup == 0 && owners;
            ok &= jobOk;
            System.out.printf("%-4d %-11s %,10d %,10d %,11d %8d  %s%n", i + 1, zone, gen, del, dup, d == null ? 0 : d.objects(),
                    jobOk ? "ok" : owners ? "MISSING" : "WRONG OWNER");
        }
        System.out.println(ok ? "Every generated event of every sample job was delivered exactly once."
                : "NOT every generated event was delivered exactly once (see above).");
        return ok;
    }

    /** Ctrl-C and SIGTERM stop the generator; the demo then drains and prints its summary. */
    private void installStopSignals() {
        for (String signal : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                if (stop.getAndSet(true)) {
                    System.exit(130);
                }
                System.out.println("\nStopping (Ctrl-C again to quit at once)...");
            });
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties props) {
        Properties p = new Properties();
        p.putAll(props);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        return new KafkaProducer<>(p);
    }
}
