package io.logpush.job.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpush.sink.delivery.JobHealth;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes {@link JobHealth} to the compacted health topic: key = job id (as on the config topic;
 * {@code <job id>/<lane>} for the further lanes of a hot job, see {@code JobLanes}),
 * value = JSON with Cloudflare's field names ({@code last_complete}, {@code last_error},
 * {@code error_message}) plus ours.
 */
public final class JobHealthSerializer implements KafkaRecordSerializationSchema<JobHealth> {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final String topic;

    public JobHealthSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(JobHealth health, KafkaSinkContext context, Long timestamp) {
        // A hot job's other lanes report under keys of their own: the compacted topic keeps each lane's latest.
        String key = health.lane() == 0 ? Long.toString(health.jobId()) : health.jobId() + "/" + health.lane();
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), toJson(health));
    }

    static byte[] toJson(JobHealth health) {
        ObjectNode node = JSON.createObjectNode()
                .put("id", health.jobId())
                .put("state", health.state().name().toLowerCase(Locale.ROOT));
        if (health.lane() > 0) {
            node.put("lane", health.lane());
        }
        putTime(node, "last_complete", health.lastComplete());
        putTime(node, "last_error", health.lastError());
        node.put("error_message", health.errorMessage())
                .put("parked_batches", health.parkedBatches())
                .put("parked_bytes", health.parkedBytes())
                .put("delivered_batches", health.deliveredBatches())
                .put("dead_lettered_batches", health.deadLetteredBatches());
        putTime(node, "updated_at", health.updatedAt());
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void putTime(ObjectNode node, String field, Instant time) {
        if (time == null) {
            node.putNull(field);
        } else {
            node.put(field, time.toString());
        }
    }
}
