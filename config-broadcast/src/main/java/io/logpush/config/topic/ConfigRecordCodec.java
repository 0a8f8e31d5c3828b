package io.logpush.config.topic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The config topic's wire format. Keys are UTF-8: a job id ({@code "42"}) or a control key
 * ({@code "control:confirm:<uuid>"}, unique so that compaction keeps every confirmation). Values
 * are the job JSON, a tombstone, or for a confirmation {@code {"confirm":["42@17", ...]}}.
 */
public final class ConfigRecordCodec {

    public static final String CONFIRM_KEY_PREFIX = "control:confirm:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigRecordCodec() {}

    public static ConfigRecord decode(byte[] key, byte[] value, long offset, long timestampMillis) {
        Instant timestamp = Instant.ofEpochMilli(timestampMillis);
        String keyText = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        if (keyText.startsWith(CONFIRM_KEY_PREFIX)) {
            return decodeConfirm(keyText, value, offset, timestamp);
        }
        long jobId;
        try {
            jobId = Long.parseLong(keyText);
        } catch (NumberFormatException e) {
            return new ConfigRecord.Malformed(abbreviate(keyText), offset, timestamp,
                    "record key must be a job id (a positive integer) or a control key, was \"" + abbreviate(keyText) + "\"");
        }
        if (jobId < 1) {
            return new ConfigRecord.Malformed(keyText, offset, timestamp, "record key must be a positive job id, was " + jobId);
        }
        if (value == null) {
            return new ConfigRecord.Delete(jobId, offset, timestamp);
        }
        return new ConfigRecord.Upsert(jobId, offset, timestamp, new String(value, StandardCharsets.UTF_8));
    }

    private static ConfigRecord decodeConfirm(String key, byte[] value, long offset, Instant timestamp) {
        try {
            JsonNode root = value == null ? null : JSON.readTree(value);
            if (root == null || !(root.get("confirm") instanceof ArrayNode list)) {
                return new ConfigRecord.Malformed(key, offset, timestamp, "a confirm record needs {\"confirm\": [\"JOB@VERSION\", ...]}");
            }
            List<ChangeId> changes = new ArrayList<>();
            for (JsonNode id : list) {
                changes.add(ChangeId.parse(id.asText()));
            }
            return new ConfigRecord.Confirm(changes, offset, timestamp);
        } catch (IOException | IllegalArgumentException e) {
            return new ConfigRecord.Malformed(key, offset, timestamp, "unreadable confirm record: " + e.getMessage());
        }
    }

    public static ProducerRecord<byte[], byte[]> upsert(String topic, long jobId, String json) {
        return new ProducerRecord<>(topic, key(jobId), json.getBytes(StandardCharsets.UTF_8));
    }

    public static ProducerRecord<byte[], byte[]> delete(String topic, long jobId) {
        return new ProducerRecord<>(topic, key(jobId), null);
    }

    public static ProducerRecord<byte[], byte[]> confirm(String topic, List<ChangeId> changes) {
        ObjectNode value = JSON.createObjectNode();
        ArrayNode list = value.putArray("confirm");
        changes.forEach(c -> list.add(c.toString()));
        byte[] key = (CONFIRM_KEY_PREFIX + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, key, value.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] key(long jobId) {
        return Long.toString(jobId).getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 61) + "..." : s;
    }
}
