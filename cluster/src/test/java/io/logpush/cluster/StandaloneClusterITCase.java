package io.logpush.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.cli.ConfigCli;
import io.logpush.config.topic.ConfigTopics;
import io.logpush.job.generator.HttpRequestsGenerator;
import io.logpush.sink.testutils.S3ProxyServer;
import io.logpush.tools.DeliveryCheck;
import io.logpush.tools.SubmitCommand;
import org.apache.flink.core.fs.FileSystem;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job on a real standalone Flink cluster: a JobManager and a TaskManager process started from
 * Maven Central's jars with {@code flink-conf/}, the S3 filesystem as a plugin, checkpoints on a
 * real S3-compatible server, a real Kafka broker. The shaded job jar is submitted through the REST
 * API; the TaskManager process is killed (-9) mid-run and a new one started. Every event arrives
 * exactly once at an {@code s3://} and a {@code file://} destination, and the REST API shows the
 * named operators and our metrics.
 */
class StandaloneClusterITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** CI's short run; the long one: -Dcluster.events=1000000 -Dcluster.kills=3. */
    private static final int EVENTS = Integer.getInteger("cluster.events", 8_000);
    private static final int KILLS = Integer.getInteger("cluster.kills", 1);
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    @Order(2)
    static final S3ProxyServer S3 = new S3ProxyServer();

    @TempDir
    Path work;

    private final List<FlinkProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private URI rest;

    @AfterEach
    void stopCluster() throws Exception {
        for (FlinkProcess process : processes) {
            process.close();
        }
    }

    @Test
    void deliversExactlyOnceOnARealClusterWhenTheTaskManagerIsKilled() throws Exception {
        S3.createBucket("logpush-checkpoints");
        S3.createBucket("customer-logs");
        Path objects = Files.createDirectories(work.resolve("objects"));
        Path conf = Files.createDirectories(work.resolve("conf"));
        Files.copy(REPO.resolve("flink-conf/config.yaml"), conf.resolve("config.yaml"));
        Files.copy(REPO.resolve("flink-conf/log4j-console.properties"), conf.resolve("log4j-console.properties"));
        int restPort = freePort();
        rest = URI.create("http://localhost:" + restPort);
        List<String> props = List.of("jobmanager.rpc.address=localhost", "jobmanager.rpc.port=" + freePort(),
                "rest.port=" + restPort, "rest.address=localhost", "rest.bind-address=127.0.0.1", "taskmanager.host=localhost",
                "jobmanager.memory.process.size=1024m", "taskmanager.memory.process.size=1536m",
                "s3.endpoint=" + S3.endpoint(), "execution.checkpointing.interval=2 s", "restart-strategy.exponential-delay.initial-backoff=500 ms");
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        processes.add(FlinkProcess.start(FlinkProcess.Kind.JOBMANAGER, conf, props, env, work.resolve("jobmanager.log")));
        FlinkProcess taskManager = FlinkProcess.start(FlinkProcess.Kind.TASKMANAGER, conf, props, env, work.resolve("taskmanager.log"));
        processes.add(taskManager);
        await(Duration.ofSeconds(90), () -> get("/taskmanagers").path("taskmanagers").size() == 1, "a registered TaskManager");

        Properties kafka = KAFKA.clientProperties();
        try (Admin admin = KAFKA.admin()) {
            ConfigTopics.createCompactedIfMissing(admin, ConfigTopics.CONFIG, (short) 1);
            ConfigTopics.createCompactedIfMissing(admin, ConfigTopics.STATUS, (short) 1);
            admin.createTopics(List.of(new NewTopic(ConfigTopics.EVENTS, 4, (short) 1), new NewTopic(ConfigTopics.DLQ, 1, (short) 1))).all().get();
        }
        Path job1 = Files.writeString(work.resolve("job-1.json"), job(1, "s3://customer-logs/job-1/{DATE}"));
        Path job2 = Files.writeString(work.resolve("job-2.json"), job(2, objects.toUri().toString().replaceAll("/$", "") + "/job-2/{DATE}"));
        assertThat(ConfigCli.commandLine().execute("put", job1.toString(), job2.toString(), "--bootstrap-servers",
                KAFKA.bootstrapServers(), "--min-upload-records", "1", "--min-upload-interval-seconds", "1")).isZero();
        Map<String, Long> generated = new HashMap<>();
        int chunk = EVENTS / (KILLS + 1);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            produce(producer, 0, chunk, generated);
        }

        String jobId = SubmitCommand.submit(rest, JAR, jobArgs(), null);
        // Read back as a customer would: S3 through the S3 API, files through the file system.
        FileSystem.initialize(S3.flinkConfiguration(), null);
        DeliveryCheck onS3 = new DeliveryCheck("s3://customer-logs");
        DeliveryCheck onDisk = new DeliveryCheck(objects.toUri().toString());
        long started = System.nanoTime();
        for (int kill = 1; kill <= KILLS; kill++) {
            long before = delivered(onS3, "job-1") + delivered(onDisk, "job-2");
            await(Duration.ofSeconds(600), () -> delivered(onS3, "job-1") + delivered(onDisk, "job-2") > before
                    && delivered(onS3, "job-1") > 0 && delivered(onDisk, "job-2") > 0, "more committed batches before kill " + kill);
            taskManager.kill();
            taskManager = FlinkProcess.start(FlinkProcess.Kind.TASKMANAGER, conf, props, env, work.resolve("taskmanager-" + (kill + 1) + ".log"));
            processes.add(taskManager);
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                produce(producer, (long) kill * chunk, kill == KILLS ? EVENTS : (long) (kill + 1) * chunk, generated);
            }
        }
        long expected1 = generated.get(HttpRequestsGenerator.zone(0));
        long expected2 = generated.get(HttpRequestsGenerator.zone(1));
        await(Duration.ofSeconds(900), () -> delivered(onS3, "job-1") >= expected1 && delivered(onDisk, "job-2") >= expected2,
                "every event delivered");
        System.out.printf("REPORT cluster: %,d events, TaskManager killed %d times; %,d + %,d delivered to s3:// and file://"
                        + " exactly once in %.0f s after submission%n", EVENTS, KILLS, expected1, expected2,
                (System.nanoTime() - started) / 1e9);

        for (DeliveryCheck.JobDelivery d : List.of(onS3.scan().get("job-1"), onDisk.scan().get("job-2"))) {
            assertThat(d.duplicates()).as("duplicates in %s", d.job()).isZero();
            assertThat(d.owners()).hasSize(1);
            assertThat(d.largestObject()).isLessThanOrEqualTo(500);
        }
        assertThat(onS3.scan().get("job-1").distinct()).isEqualTo(expected1);
        assertThat(onDisk.scan().get("job-2").distinct()).isEqualTo(expected2);

        JsonNode graph = get("/jobs/" + jobId);
        List<String> vertices = new ArrayList<>();
        graph.path("vertices").forEach(v -> vertices.add(v.path("name").asText()));
        assertThat(String.join(" | ", vertices)).contains("Config stage (validate, version, guard)",
                "Route, filter, sample, encode", "Per-job batch buffer", "Batch file sink");
        String router = null;
        for (JsonNode v : graph.path("vertices")) {
            if (v.path("name").asText().contains("Route, filter")) {
                router = v.path("id").asText();
            }
        }
        // The REST metric store is refreshed every few seconds (metrics.fetcher.update-interval).
        String metricsPath = "/jobs/" + jobId + "/vertices/" + router + "/metrics";
        await(Duration.ofSeconds(60), () -> get(metricsPath).toString().contains(".eventsUnconfigured"), "the router's metrics");
        List<String> metrics = new ArrayList<>();
        get(metricsPath).forEach(m -> metrics.add(m.path("id").asText()));
        assertThat(metrics).anyMatch(m -> m.endsWith(".eventsIn")).anyMatch(m -> m.endsWith(".eventsUnconfigured"));
        assertThat(graph.path("state").asText()).isEqualTo("RUNNING");

        // Upgrade: stop with a savepoint on S3, change job 1's config meanwhile, start again from the savepoint.
        String savepoint = stopWithSavepoint(jobId);
        Files.writeString(job1, job(1, "s3://customer-logs/job-1/{DATE}").replace("\"max_upload_records\":500", "\"max_upload_records\":100"));
        assertThat(ConfigCli.commandLine().execute("put", job1.toString(), "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--min-upload-records", "1", "--min-upload-interval-seconds", "1")).isZero();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            produce(producer, EVENTS, EVENTS + 4_000, generated);
        }
        String upgraded = SubmitCommand.submit(rest, JAR, jobArgs(), savepoint);
        long all1 = generated.get(HttpRequestsGenerator.zone(0));
        long all2 = generated.get(HttpRequestsGenerator.zone(1));
        await(Duration.ofSeconds(180), () -> delivered(onS3, "job-1") >= all1 && delivered(onDisk, "job-2") >= all2,
                "every event delivered after the upgrade");
        assertThat(onS3.scan().get("job-1").records()).as("job 1 exactly once across the upgrade").isEqualTo(all1);
        assertThat(onDisk.scan().get("job-2").records()).as("job 2 exactly once across the upgrade").isEqualTo(all2);
        assertThat(get("/jobs/" + upgraded).path("state").asText()).isEqualTo("RUNNING");
    }

    private static final Path JAR = REPO.resolve("job/target/logpush-job-0.1.0-SNAPSHOT-shaded.jar");

    private static List<String> jobArgs() {
        return List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--checkpoint-interval", "2",
                "--staging-dir", "s3://logpush-checkpoints/staging",
                "--min-upload-records", "1", "--min-upload-interval-seconds", "1");
    }

    /** POST /jobs/:id/stop, then polls the savepoint until it completes; returns its path. */
    private String stopWithSavepoint(String jobId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve("/jobs/" + jobId + "/stop"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"targetDirectory\":\"s3://logpush-checkpoints/savepoints\",\"drain\":false}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String trigger = JSON.readTree(response.body()).path("request-id").asText();
        String[] location = new String[1];
        await(Duration.ofSeconds(120), () -> {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            location[0] = status.at("/operation/location").asText(null);
            return "COMPLETED".equals(status.at("/status/id").asText());
        }, "the savepoint");
        assertThat(location[0]).as("savepoint path").startsWith("s3://logpush-checkpoints/savepoints");
        await(Duration.ofSeconds(60), () -> "FINISHED".equals(get("/jobs/" + jobId).path("state").asText()), "the job to stop");
        return location[0];
    }

    private static String job(long id, String destination) {
        return "{\"id\":" + id + ",\"zone_id\":\"" + HttpRequestsGenerator.zone((int) id - 1) + "\",\"dataset\":\"http_requests\","
                + "\"enabled\":true,\"destination_conf\":\"" + destination + "\",\"max_upload_records\":500,"
                + "\"max_upload_interval_seconds\":2,\"output_options\":{\"field_names\":[\"RayID\",\"ZoneName\",\"EdgeResponseStatus\"]}}";
    }

    /** Events from..to over 50 zones; the two job zones are the busiest. */
    private static void produce(KafkaProducer<byte[], byte[]> producer, long from, long to, Map<String, Long> generated) {
        HttpRequestsGenerator generator = new HttpRequestsGenerator(50, from);
        for (long i = from; i < to; i++) {
            String zone = HttpRequestsGenerator.zone(generator.nextZone());
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(ConfigTopics.EVENTS, zone.getBytes(StandardCharsets.UTF_8),
                    generator.event(zone, HttpRequestsGenerator.rayId(7, i), Instant.now()).getBytes(StandardCharsets.UTF_8));
            record.headers().add("dataset", "http_requests".getBytes(StandardCharsets.UTF_8));
            producer.send(record);
            generated.merge(zone, 1L, Long::sum);
        }
        producer.flush();
    }

    private static long delivered(DeliveryCheck check, String job) {
        DeliveryCheck.JobDelivery d = check.scan().get(job);
        return d == null ? 0 : d.distinct();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s (logs in %s)", what, work).isLessThan(deadline);
            assertThat(processes.get(0).isAlive()).as("JobManager alive (log: %s)", work.resolve("jobmanager.log")).isTrue();
            Thread.sleep(500);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties kafka) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
