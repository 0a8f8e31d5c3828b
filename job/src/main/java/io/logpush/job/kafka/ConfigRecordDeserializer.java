package io.logpush.job.kafka;

import io.logpush.config.broadcast.ConfigTopicRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Hands config-topic records to the config stage as they are (tombstones included); never throws. */
public final class ConfigRecordDeserializer implements KafkaRecordDeserializationSchema<ConfigTopicRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ConfigTopicRecord> out) {
        out.collect(new ConfigTopicRecord(record.key(), record.value(), record.offset(), record.timestamp()));
    }

    @Override
    public TypeInformation<ConfigTopicRecord> getProducedType() {
        return TypeInformation.of(ConfigTopicRecord.class);
    }
}
