package io.logpush.config.cli;

import io.logpush.config.JobConfigParser;
import io.logpush.config.testutils.ConfigStageRunner;
import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.testutils.Jobs;
import io.logpush.config.broadcast.ConfigUpdate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The config CLI against a real Kafka broker, with the config stage consuming what it publishes. */
class ConfigCliITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @TempDir
    Path dir;

    /** One CLI invocation's exit code and output. */
    record Run(int exitCode, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = ConfigCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String[] withKafka(String topic, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--config-topic", topic,
                "--status-topic", topic + "-status", "--health-topic", topic + "-health"));
        return all.toArray(String[]::new);
    }

    private Path jobFile(long id) throws Exception {
        Path file = dir.resolve("job-" + id + ".json");
        Files.writeString(file, Jobs.httpJobJson(id, "zone-" + id, true));
        return file;
    }

    @Test
    void putListDeleteHeldConfirmRoundTrip() throws Exception {
        String topic = "config-roundtrip";
        Run put = cli(withKafka(topic, "put", jobFile(1).toString(), jobFile(2).toString(), jobFile(3).toString(),
                "--min-upload-records", "1"));
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(put.out()).contains("created compacted topic " + topic, "put job 1 (zone zone-1, http_requests",
                "put job 3 (zone zone-3, http_requests -> file:///tmp/logpush/3/{DATE}) as version 2");

        try (Admin admin = KAFKA.admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(1);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }

        try (ConfigStageRunner stage = new ConfigStageRunner(KAFKA.clientProperties(), topic, topic + "-status",
                new JobConfigParser(Jobs.TEST_POLICY))) {
            stage.catchUp();
            assertThat(stage.broadcastSoFar()).extracting(ConfigUpdate::jobId).containsExactly(1L, 2L, 3L);

            Run list = cli(withKafka(topic, "list", "--min-upload-records", "1"));
            assertThat(list.exitCode()).isZero();
            assertThat(list.out()).containsPattern("(?m)^1 +0 +zone:zone-1 +http_requests +true +applied +- +- +- +file:///tmp/logpush/1/\\{DATE}$")
                    .contains("3 job(s) on " + topic);

            // The pipeline's delivery step publishes health per job; list shows it, errors on their own line.
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic + "-health", "2".getBytes(StandardCharsets.UTF_8),
                        ("{\"id\":2,\"state\":\"degraded\",\"last_complete\":\"2024-11-14T10:00:30Z\","
                                + "\"last_error\":\"2024-11-14T10:01:00Z\",\"error_message\":\"delivery to s3://b/x failed: "
                                + "AccessDenied\",\"parked_batches\":3}").getBytes(StandardCharsets.UTF_8))).get();
            }
            Run withHealth = cli(withKafka(topic, "list", "--min-upload-records", "1"));
            assertThat(withHealth.out()).containsPattern("(?m)^2 +1 +zone:zone-2 +http_requests +true +applied +degraded "
                            + "+2024-11-14T10:00:30Z +3 +file:///tmp/logpush/2/\\{DATE}$")
                    .contains("last_error 2024-11-14T10:01:00Z: delivery to s3://b/x failed: AccessDenied");

            // A blank config: every job deleted at once. The guard holds all of it.
            Run delete = cli(withKafka(topic, "delete", "1", "2", "3"));
            assertThat(delete.out()).contains("deleted job 1 as version 3", "deleted job 3 as version 5");
            stage.catchUp();
            stage.fireDecisionTimer();
            assertThat(stage.broadcastSoFar()).as("nothing deleted yet").hasSize(3);

            Run held = cli(withKafka(topic, "held"));
            assertThat(held.out()).contains("3 config change(s) held by the config guard (3 active jobs keep their previous config)")
                    .containsPattern("job 1 +delete +version 3 ")
                    .containsPattern("job 3 +delete +version 5 ");

            Run confirm = cli(withKafka(topic, "confirm"));
            assertThat(confirm.exitCode()).isZero();
            assertThat(confirm.out()).contains("confirmed 3 change(s) as version 6: 1@3 2@4 3@5");
            stage.catchUp();
            assertThat(stage.broadcastSoFar()).hasSize(6).last().matches(ConfigUpdate::isDelete);
            assertThat(cli(withKafka(topic, "held")).out()).contains("No config changes are held.");
            assertThat(cli(withKafka(topic, "list")).out()).contains("0 job(s) on " + topic);
        }
    }

    @Test
    void anInvalidFilePublishesNothing() throws Exception {
        String topic = "config-invalid";
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"id\":9,\"zone_id\":\"z\",\"dataset\":\"http_requests\",\"destination_conf\":\"file://rel\"}");
        Run put = cli(withKafka(topic, "put", jobFile(1).toString(), bad.toString(), "--min-upload-records", "1"));
        assertThat(put.exitCode()).isEqualTo(1);
        assertThat(put.err()).contains(bad + ": $.destination_conf: a file destination must be an absolute path: file:///abs/path",
                "nothing published");
        try (Admin admin = KAFKA.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }
    }

    @Test
    void usageErrorsExitWithTwoAndOneLine() {
        Run run = cli("delete", "not-a-number", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").startsWith("error: Invalid value");
    }

    /** The launcher script itself: it finds the built module and runs the CLI. */
    @Test
    void theLauncherValidatesFiles() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path valid = Path.of("src/test/resources/configs/valid/minimal.json").toAbsolutePath();
        Path invalid = Path.of("src/test/resources/configs/invalid/destination-dot-dot.json").toAbsolutePath();
        Process process = new ProcessBuilder(root.resolve("logpush").toString(), "config", "validate",
                valid.toString(), invalid.toString())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("err.txt")))
                .contains(invalid + ": $.destination_conf: must not contain '..' path segments");
    }
}
