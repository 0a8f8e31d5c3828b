package io.logpush.job.kafka;

import io.logpush.job.records.RawEvent;
import io.logpush.job.records.RawEventSerializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * Turns an events-topic record into a {@link RawEvent} without parsing its value. Never throws:
 * whatever a producer sends reaches the router, which dead-letters what it cannot use.
 */
public final class RawEventDeserializer implements KafkaRecordDeserializationSchema<RawEvent> {

    /** The header that names an event's dataset. */
    public static final String DATASET_HEADER = "dataset";
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawEvent> out) {
        String owner = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        Header header = record.headers().lastHeader(DATASET_HEADER);
        String dataset = header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
        out.collect(new RawEvent(owner, dataset, record.value(), record.timestamp(), record.topic(), record.partition(),
                record.offset()));
    }

    @Override
    public TypeInformation<RawEvent> getProducedType() {
        return RawEventSerializer.TYPE_INFO;
    }
}
