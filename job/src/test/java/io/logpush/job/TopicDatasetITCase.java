package io.logpush.job;

import io.logpush.config.Dataset;
import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.job.testutils.AckedProducer;
import io.logpush.job.testutils.PipelineRun;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An events topic of one dataset ({@code --events-dataset}), on a real Kafka broker and a
 * MiniCluster with RocksDB: events without any header are of the topic's dataset and delivered to
 * its job; a header still names another dataset, and an unknown one is dead-lettered.
 */
class TopicDatasetITCase {

    private static final int EVENTS = 60;

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path output;

    @TempDir
    Path checkpoints;

    @Test
    void eventsWithoutHeadersAreOfTheTopicsDatasetAndAHeaderStillNamesAnother() throws Exception {
        PipelineRun run = new PipelineRun(KAFKA, output, checkpoints).topicDataset(Dataset.byName("http_requests").orElseThrow());
        long now = System.currentTimeMillis();
        try (AckedProducer producer = run.producer()) {
            producer.send(ConfigRecordCodec.upsert(run.configTopic(), 1, "{\"id\":1,\"zone_id\":\"zone-a\",\"dataset\":\"http_requests\","
                    + "\"enabled\":true,\"destination_conf\":\"" + run.destination(1) + "\",\"max_upload_interval_seconds\":1}"));
            for (int i = 0; i < EVENTS; i++) {
                ProducerRecord<byte[], byte[]> event = run.event("zone-a", "http_requests", "e" + i, now);
                event.headers().remove("dataset");
                producer.send(event);
            }
            // The same owner's events naming other datasets: one with no job (counted, not delivered), one unknown.
            producer.send(run.event("zone-a", "firewall_events", "f0", now));
            producer.send(run.event("zone-a", "no_such_dataset", "u0", now));
        }
        run.start("logpush-topic-dataset");
        List<ConsumerRecord<byte[], byte[]>> deadLetters = awaitDeadLetters(run, Duration.ofSeconds(120));
        run.awaitDelivered(count -> count >= EVENTS, "every header-less event", Duration.ofSeconds(120));
        run.cancel();

        assertThat(run.delivered()).as("the header-less events, and nothing of another dataset").isEqualTo(EVENTS);
        assertThat(deadLetters).singleElement().satisfies(record -> assertThat(
                new String(record.headers().lastHeader("logpush.error.reason").value(), StandardCharsets.UTF_8))
                .isEqualTo("unknown dataset 'no_such_dataset'"));
    }

    /** The dead letters once there is one: the last event sent, routed after every event before it (one owner, one partition). */
    private static List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(PipelineRun run, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<byte[], byte[]>> records = run.committedRecords(run.dlqTopic());
            if (!records.isEmpty()) {
                return records;
            }
            assertThat(System.nanoTime()).as("waiting for the unknown dataset's dead letter").isLessThan(deadline);
            Thread.sleep(250);
        }
    }
}
