package io.logpush.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.job.testutils.AckedProducer;
import io.logpush.job.testutils.PipelineRun;
import io.logpush.sink.testutils.Batches;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hot job spread over buffer lanes, on a real Kafka broker and a MiniCluster with RocksDB: one
 * customer far above the hot rate next to a quiet one, and a TaskManager terminated mid-run. Half
 * of the busy customer's events are keyed otherwise and name it in an {@code owner} header, as a
 * producer spreads a busy owner over partitions. Every
 * event lands in exactly one committed object of its job's destination, each object within the
 * job's limits; the hot job's further lanes report their health under keys of their own, the
 * quiet job never leaves lane 0.
 */
class HotJobITCase {

    private static final int HOT_EVENTS_PER_PHASE = 12_000;
    private static final int QUIET_EVENTS_PER_PHASE = 100;
    private static final int MAX_RECORDS = 1_000;
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

    private String jobJson(long id, String owner) {
        String dir = output.toUri().toString().replaceAll("/$", "") + "/job-" + id + "/{DATE}";
        return "{\"id\":" + id + ",\"zone_id\":\"" + owner + "\",\"dataset\":\"http_requests\",\"enabled\":true,\"destination_conf\":\"" + dir
                + "\",\"max_upload_records\":" + MAX_RECORDS + ",\"max_upload_interval_seconds\":1,"
                + "\"output_options\":{\"field_names\":[\"RayID\",\"ClientRequestHost\"]}}";
    }

    @Test
    void spreadsAHotJobOverLanesAndDeliversEachOfItsEventsExactlyOnceAcrossATaskManagerFailure(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        PipelineRun run = new PipelineRun(KAFKA, output, checkpoints).hotJobRate(500);
        try (AckedProducer producer = run.producer()) {
            producer.send(ConfigRecordCodec.upsert(run.configTopic(), 1, jobJson(1, "zone-hot")));
            producer.send(ConfigRecordCodec.upsert(run.configTopic(), 2, jobJson(2, "zone-quiet")));
            sendPhase(run, producer, 0);
        }
        run.start("logpush-hot-job");
        run.awaitDelivered(count -> count > 0, "a first committed batch", Duration.ofSeconds(180));
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        try (AckedProducer producer = run.producer()) {
            sendPhase(run, producer, 1);
        }
        int expected = 2 * (HOT_EVENTS_PER_PHASE + QUIET_EVENTS_PER_PHASE);
        run.awaitDelivered(count -> count >= expected, expected + " deliveries", Duration.ofSeconds(180));
        run.cancel();

        Map<String, Integer> delivered = new HashMap<>();
        for (Path object : Batches.visibleObjects(output)) {
            String job = object.toString().contains("/job-1/") ? "1" : "2";
            String[] lines = Batches.gunzip(object).split("\n");
            assertThat(lines.length).as("records in %s", object).isBetween(1, MAX_RECORDS);
            for (String line : lines) {
                JsonNode record = JSON.readTree(line);
                assertThat(record.get("ClientRequestHost").asText()).as("job %s's owner", job)
                        .isEqualTo(job.equals("1") ? "zone-hot" : "zone-quiet");
                delivered.merge(record.get("RayID").asText(), 1, Integer::sum);
            }
        }
        assertThat(delivered).as("every event").hasSize(expected);
        assertThat(delivered.values()).as("no duplicates").containsOnly(1);
        Set<String> healthKeys = healthKeys(run);
        assertThat(healthKeys).as("lane 0 of both jobs, and a further lane of the hot job only")
                .contains("1", "2").anyMatch(key -> key.startsWith("1/")).noneMatch(key -> key.startsWith("2/"));
    }

    private static void sendPhase(PipelineRun run, AckedProducer producer, int phase) {
        long time = 1_731_578_400_000L + phase * 60_000L;
        for (int i = 0; i < HOT_EVENTS_PER_PHASE; i++) {
            ProducerRecord<byte[], byte[]> event = run.event("zone-hot", "http_requests", "hot-" + phase + "-" + i, time + i);
            if (i % 2 == 1) {
                event = new ProducerRecord<>(event.topic(), null, event.timestamp(),
                        ("zone-hot/" + i % 8).getBytes(StandardCharsets.UTF_8), event.value(), event.headers());
                event.headers().add("owner", "zone-hot".getBytes(StandardCharsets.UTF_8));
            }
            producer.send(event);
            if (i < QUIET_EVENTS_PER_PHASE) {
                producer.send(run.event("zone-quiet", "http_requests", "quiet-" + phase + "-" + i, time + i));
            }
        }
    }

    /** The keys of the health topic's committed records. */
    private static Set<String> healthKeys(PipelineRun run) {
        Set<String> keys = new HashSet<>();
        run.committedRecords(run.healthTopic()).forEach(record -> keys.add(new String(record.key(), StandardCharsets.UTF_8)));
        return keys;
    }
}
