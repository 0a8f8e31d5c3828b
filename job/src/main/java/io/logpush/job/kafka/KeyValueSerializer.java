package io.logpush.job.kafka;

import io.logpush.config.broadcast.KeyValueBytes;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes pre-encoded key/value records (config status) to one topic. */
public final class KeyValueSerializer implements KafkaRecordSerializationSchema<KeyValueBytes> {

    private static final long serialVersionUID = 1L;
    private final String topic;

    public KeyValueSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(KeyValueBytes record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, record.key(), record.value());
    }
}
