package io.logpush.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.job.testutils.AckedProducer;
import io.logpush.job.testutils.PipelineRun;
import io.logpush.sink.testutils.Batches;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline on a real Kafka broker and a MiniCluster with RocksDB: 260 jobs over 2,000
 * owners, two datasets, fan-out, a disabled job, malformed events, and a TaskManager terminated
 * mid-run. Every event of every enabled job lands in exactly one committed object of that job's
 * destination; nothing for unconfigured owners; the DLQ holds exactly the malformed events.
 */
class PipelineITCase {

    private static final int OWNERS = 2_000;
    private static final int EVENTS_PER_PHASE = 15_000;
    private static final int MAX_RECORDS = 400;
    private static final Pattern JOB_DIR = Pattern.compile("/job-(\\d+)/\\d{8}/");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path output;

    @TempDir
    Path checkpoints;

    /** A job as the test configured it. */
    private record TestJob(long id, String owner, String dataset, boolean enabled) {}

    private static String owner(int i) {
        return String.format("zone-%04d", i);
    }

    /** 150 http jobs, 50 more http jobs for the same owners (fan-out), 50 firewall jobs, 10 disabled. */
    private static List<TestJob> jobs() {
        List<TestJob> jobs = new ArrayList<>();
        long id = 1;
        for (int i = 0; i < 150; i++) {
            jobs.add(new TestJob(id++, owner(i), "http_requests", true));
        }
        for (int i = 0; i < 50; i++) {
            jobs.add(new TestJob(id++, owner(i), "http_requests", true));
        }
        for (int i = 150; i < 200; i++) {
            jobs.add(new TestJob(id++, owner(i), "firewall_events", true));
        }
        for (int i = 200; i < 210; i++) {
            jobs.add(new TestJob(id++, owner(i), "http_requests", false));
        }
        return jobs;
    }

    private String jobJson(TestJob job) {
        String dir = output.toUri().toString().replaceAll("/$", "") + "/job-" + job.id() + "/{DATE}";
        return "{\"id\":" + job.id() + ",\"zone_id\":\"" + job.owner() + "\",\"dataset\":\"" + job.dataset() + "\",\"enabled\":"
                + job.enabled() + ",\"destination_conf\":\"" + dir + "\",\"max_upload_records\":" + MAX_RECORDS
                + ",\"max_upload_interval_seconds\":1,\"output_options\":{\"field_names\":[\"RayID\",\"ClientRequestHost\"]}}";
    }

    /** Event i: a deterministic owner (over all 2,000, so ~90% unconfigured) and dataset. */
    private static ProducerRecord<byte[], byte[]> event(PipelineRun run, int i) {
        String owner = owner((int) ((i * 7919L) % OWNERS));
        return run.event(owner, i % 3 == 0 ? "firewall_events" : "http_requests", "e" + i, 1_731_578_400_000L + i);
    }

    @Test
    void deliversEveryEventOfEveryEnabledJobExactlyOnceAcrossATaskManagerFailure(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        PipelineRun run = new PipelineRun(KAFKA, output, checkpoints);
        List<TestJob> jobs = jobs();
        try (AckedProducer producer = run.producer()) {
            for (TestJob job : jobs) {
                producer.send(ConfigRecordCodec.upsert(run.configTopic(), job.id(), jobJson(job)));
            }
            for (int i = 0; i < EVENTS_PER_PHASE; i++) {
                producer.send(event(run, i));
            }
            sendMalformed(producer, run.eventsTopic());
        }

        JobClient client = run.start("logpush-itcase");
        Map<String, Long> expected = expectedDeliveries(jobs, 2 * EVENTS_PER_PHASE);
        assertThat(expected).as("about 10% of 30,000 events, some twice (fan-out)").hasSizeBetween(2_000, 3_000);
        run.awaitDelivered(count -> count > 0, "a first committed batch", Duration.ofSeconds(180));
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        try (AckedProducer producer = run.producer()) {
            for (int i = EVENTS_PER_PHASE; i < 2 * EVENTS_PER_PHASE; i++) {
                producer.send(event(run, i));
            }
        }
        run.awaitDelivered(count -> count >= expected.size(), expected.size() + " deliveries", Duration.ofSeconds(180));
        run.cancel();

        Map<String, Long> delivered = new HashMap<>();
        for (Path object : Batches.visibleObjects(output)) {
            Matcher dir = JOB_DIR.matcher(object.toString());
            assertThat(dir.find()).as("object in a job directory: %s", object).isTrue();
            String job = dir.group(1);
            String[] lines = Batches.gunzip(object).split("\n");
            assertThat(lines.length).as("records in %s", object).isBetween(1, MAX_RECORDS);
            TestJob owner = jobs.get(Integer.parseInt(job) - 1);
            for (String line : lines) {
                JsonNode record = JSON.readTree(line);
                assertThat(record.get("ClientRequestHost").asText()).as("only its owner's events in job %s", job).isEqualTo(owner.owner());
                delivered.merge(job + "/" + record.get("RayID").asText(), 1L, Long::sum);
            }
        }
        assertThat(delivered.keySet()).isEqualTo(expected.keySet());
        assertThat(delivered.values()).as("no duplicates").containsOnly(1L);
        assertThat(deadLetterPositions(run)).as("exactly the malformed events, once each").hasSize(30);
    }

    /** 10 not-JSON events of a configured owner, 10 without the dataset header, 10 of an unknown dataset. */
    private static void sendMalformed(AckedProducer producer, String topic) {
        for (int i = 0; i < 10; i++) {
            ProducerRecord<byte[], byte[]> notJson = new ProducerRecord<>(topic, owner(1).getBytes(StandardCharsets.UTF_8),
                    ("{broken " + i).getBytes(StandardCharsets.UTF_8));
            notJson.headers().add("dataset", "http_requests".getBytes(StandardCharsets.UTF_8));
            producer.send(notJson);
            producer.send(new ProducerRecord<>(topic, owner(2).getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)));
            ProducerRecord<byte[], byte[]> unknown = new ProducerRecord<>(topic, owner(3).getBytes(StandardCharsets.UTF_8),
                    "{}".getBytes(StandardCharsets.UTF_8));
            unknown.headers().add("dataset", "no_such_dataset".getBytes(StandardCharsets.UTF_8));
            producer.send(unknown);
        }
    }

    /** "job/RayID" for every event an enabled job of its owner and dataset must receive. */
    private static Map<String, Long> expectedDeliveries(List<TestJob> jobs, int events) {
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < events; i++) {
            String owner = owner((int) ((i * 7919L) % OWNERS));
            String dataset = i % 3 == 0 ? "firewall_events" : "http_requests";
            for (TestJob job : jobs) {
                if (job.enabled() && job.owner().equals(owner) && job.dataset().equals(dataset)) {
                    expected.put(job.id() + "/e" + i, 1L);
                }
            }
        }
        return expected;
    }

    private static Set<String> deadLetterPositions(PipelineRun run) {
        List<String> positions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : run.committedRecords(run.dlqTopic())) {
            positions.add(new String(record.headers().lastHeader("logpush.error.partition").value(), StandardCharsets.UTF_8)
                    + "/" + new String(record.headers().lastHeader("logpush.error.offset").value(), StandardCharsets.UTF_8));
        }
        assertThat(positions).as("no dead letter twice").doesNotHaveDuplicates();
        return new HashSet<>(positions);
    }
}
