package io.logpush.job.kafka;

import io.logpush.config.Dataset;
import io.logpush.config.broadcast.ConfigTopicRecord;
import io.logpush.config.broadcast.KeyValueBytes;
import io.logpush.job.records.DeadLetter;
import io.logpush.job.records.RawEvent;
import io.logpush.sink.delivery.JobHealth;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import javax.annotation.Nullable;
import java.util.Properties;

/** The pipeline's Kafka sources and sinks, built from where Kafka is and what the topics are called. */
public final class LogpushKafka {

    private LogpushKafka() {}

    /** Events from the committed offsets of {@code groupId}, or from the beginning the first time; each names its dataset in a header. */
    public static KafkaSource<RawEvent> events(Properties kafka, String topic, String groupId) {
        return events(kafka, topic, null, groupId);
    }

    /**
     * Events from the committed offsets of {@code groupId}, or from the beginning the first time.
     *
     * @param topicDataset the dataset of the topic's events without a dataset header; null: each names its own
     */
    public static KafkaSource<RawEvent> events(Properties kafka, String topic, @Nullable Dataset topicDataset, String groupId) {
        return eventsBuilder(kafka, topic, topicDataset, groupId).setProperty("partition.discovery.interval.ms", "10000").build();
    }

    /**
     * A bounded run: events from the beginning of the topic to the end it has when the job starts.
     * With {@link #configsToEnd} the job finishes, delivering every buffered batch (benchmarks).
     */
    public static KafkaSource<RawEvent> eventsToEnd(Properties kafka, String topic, @Nullable Dataset topicDataset, String groupId) {
        return eventsBuilder(kafka, topic, topicDataset, groupId).setBounded(OffsetsInitializer.latest()).build();
    }

    /** The config topic, always from its beginning: the config stage rebuilds from the whole (compacted) topic. */
    public static KafkaSource<ConfigTopicRecord> configs(Properties kafka, String topic, String groupId) {
        return configsBuilder(kafka, topic, groupId).build();
    }

    /** The config topic up to the end it has when the job starts, for a bounded run. */
    public static KafkaSource<ConfigTopicRecord> configsToEnd(Properties kafka, String topic, String groupId) {
        return configsBuilder(kafka, topic, groupId).setBounded(OffsetsInitializer.latest()).build();
    }

    private static KafkaSourceBuilder<RawEvent> eventsBuilder(Properties kafka, String topic, @Nullable Dataset topicDataset,
                                                              String groupId) {
        return KafkaSource.<RawEvent>builder()
                .setProperties(kafka)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawEventDeserializer(topicDataset));
    }

    private static KafkaSourceBuilder<ConfigTopicRecord> configsBuilder(Properties kafka, String topic, String groupId) {
        return KafkaSource.<ConfigTopicRecord>builder()
                .setProperties(kafka)
                .setTopics(topic)
                .setGroupId(groupId + "-config")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new ConfigRecordDeserializer())
                .setProperty("isolation.level", "read_committed");
    }

    /** Dead letters, exactly once (Kafka transactions committed with checkpoints). */
    public static KafkaSink<DeadLetter> deadLetters(Properties kafka, String topic, String transactionalIdPrefix) {
        return KafkaSink.<DeadLetter>builder()
                .setKafkaProducerConfig(producerConfig(kafka))
                .setRecordSerializer(new DeadLetterSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-dlq")
                .build();
    }

    /** Config status records; at least once is enough, as they are keyed and compacted. */
    public static KafkaSink<KeyValueBytes> configStatus(Properties kafka, String topic) {
        return KafkaSink.<KeyValueBytes>builder()
                .setKafkaProducerConfig(producerConfig(kafka))
                .setRecordSerializer(new KeyValueSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** Job health records; at least once is enough, as they are keyed and compacted. */
    public static KafkaSink<JobHealth> health(Properties kafka, String topic) {
        return KafkaSink.<JobHealth>builder()
                .setKafkaProducerConfig(producerConfig(kafka))
                .setRecordSerializer(new JobHealthSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static Properties producerConfig(Properties kafka) {
        Properties props = new Properties();
        props.putAll(kafka);
        // Below the broker's default transaction.max.timeout.ms (15 minutes); Flink's own default is an hour.
        props.putIfAbsent("transaction.timeout.ms", "600000");
        return props;
    }
}
