package io.logpush.job.kafka;

import io.logpush.job.records.DeadLetter;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Writes dead letters with the original key and value, and why and where from in headers:
 * {@code logpush.error.reason}, {@code .topic}, {@code .partition}, {@code .offset}, {@code .job}.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;
    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("logpush.error.reason", bytes(letter.reason()));
        headers.add("logpush.error.topic", bytes(letter.topic()));
        headers.add("logpush.error.partition", bytes(Integer.toString(letter.partition())));
        headers.add("logpush.error.offset", bytes(Long.toString(letter.offset())));
        if (letter.jobId() > 0) {
            headers.add("logpush.error.job", bytes(Long.toString(letter.jobId())));
        }
        return new ProducerRecord<>(topic, null, timestamp, letter.key(), letter.value(), headers);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
