package io.logpush.config.cli;

import io.logpush.config.topic.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** A topic as compaction would leave it: the latest record per key. */
final class TopicSnapshot {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TopicSnapshot() {}

    /** The latest record per key, in the order keys were last written. */
    static Map<String, ConsumerRecord<byte[], byte[]>> latestByKey(Properties kafka, String topic) {
        Map<String, ConsumerRecord<byte[], byte[]>> latest = new LinkedHashMap<>();
        TopicReader.readToEnd(kafka, topic, READ_TIMEOUT, record -> {
            String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            latest.remove(key);
            latest.put(key, record);
        });
        return latest;
    }
}
