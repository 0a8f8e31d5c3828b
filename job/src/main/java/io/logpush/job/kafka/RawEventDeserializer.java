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
 *
 * <p>The owner (zone or account id) is the record key, or the {@value #OWNER_HEADER} header when
 * there is one: a producer keys a busy owner's events otherwise (or not at all) to spread them over
 * partitions, since one partition, one source reader and one router instance would bound them.
 */
public final class RawEventDeserializer implements KafkaRecordDeserializationSchema<RawEvent> {

    /** The header that names an event's dataset. */
    public static final String DATASET_HEADER = "dataset";
    /** The header that names an event's owner, instead of the record key. */
    public static final String OWNER_HEADER = "owner";
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawEvent> out) {
        byte[] owner = record.key();
        byte[] dataset = null;
        // One pass: each header's key is decoded once, and usually there is only the dataset's.
        for (Header header : record.headers()) {
            if (header.key().equals(DATASET_HEADER)) {
                dataset = header.value();
            } else if (header.key().equals(OWNER_HEADER) && header.value() != null) {
                owner = header.value();
            }
        }
        out.collect(new RawEvent(text(owner), text(dataset), record.value(), record.timestamp(), record.topic(),
                record.partition(), record.offset()));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public TypeInformation<RawEvent> getProducedType() {
        return RawEventSerializer.TYPE_INFO;
    }
}
