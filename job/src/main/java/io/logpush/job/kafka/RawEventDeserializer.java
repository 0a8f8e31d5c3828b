package io.logpush.job.kafka;

import io.logpush.config.Dataset;
import io.logpush.job.records.RawEvent;
import io.logpush.job.records.RawEventSerializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * Turns an events-topic record into a {@link RawEvent} without parsing its value. Never throws:
 * whatever a producer sends reaches the router, which dead-letters what it cannot use.
 *
 * <p>The owner (zone or account id) is the record key, or the {@value #OWNER_HEADER} header when
 * there is one: a producer keys a busy owner's events otherwise (or not at all) to spread them over
 * partitions, since one partition, one source reader and one router instance would bound them.
 *
 * <p>The dataset is the {@value #DATASET_HEADER} header, or, for a topic that carries one dataset,
 * the topic's: its producers may then send no headers at all, which spares decoding them (Kafka
 * decodes a header's key into a string to compare it, a fifth of the source's CPU on the
 * benchmark's mix, bench/results/steps.md §33).
 */
public final class RawEventDeserializer implements KafkaRecordDeserializationSchema<RawEvent> {

    /** The header that names an event's dataset. */
    public static final String DATASET_HEADER = "dataset";
    /** The header that names an event's owner, instead of the record key. */
    public static final String OWNER_HEADER = "owner";
    private static final long serialVersionUID = 2L;

    /** The dataset of an event without a dataset header: the topic's, or "" (none: the router dead-letters it). */
    private final String topicDataset;

    /** For a topic whose events each name their dataset in a header. */
    public RawEventDeserializer() {
        this(null);
    }

    /** For a topic whose events are of {@code topicDataset} unless a header names another; null: as {@link #RawEventDeserializer()}. */
    public RawEventDeserializer(@Nullable Dataset topicDataset) {
        this.topicDataset = topicDataset == null ? "" : topicDataset.name();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawEvent> out) {
        byte[] owner = record.key();
        byte[] dataset = null;
        // One pass: each header's key is decoded once, and usually there is only the dataset's, or none.
        for (Header header : record.headers()) {
            if (header.key().equals(DATASET_HEADER)) {
                dataset = header.value();
            } else if (header.key().equals(OWNER_HEADER) && header.value() != null) {
                owner = header.value();
            }
        }
        out.collect(new RawEvent(text(owner), dataset == null ? topicDataset : text(dataset), record.value(), record.timestamp(),
                record.topic(), record.partition(), record.offset()));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public TypeInformation<RawEvent> getProducedType() {
        return RawEventSerializer.TYPE_INFO;
    }
}
