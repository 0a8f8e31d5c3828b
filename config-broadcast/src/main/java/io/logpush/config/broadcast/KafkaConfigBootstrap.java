package io.logpush.config.broadcast;

import io.logpush.config.JobConfigParser;
import io.logpush.config.guard.GuardSettings;
import io.logpush.config.topic.ConfigRecordCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Bootstraps job configs by reading the config topic from its beginning to its current end. */
public final class KafkaConfigBootstrap implements ConfigBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConfigBootstrap.class);
    private static final long serialVersionUID = 1L;

    private final Properties kafka;
    private final String topic;
    private final Duration timeout;

    public KafkaConfigBootstrap(Properties kafka, String topic, Duration timeout) {
        this.kafka = new Properties();
        this.kafka.putAll(kafka);
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public List<ConfigUpdate> load(JobConfigParser parser, GuardSettings settings) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        ConfigProcessor processor = new ConfigProcessor(parser, settings);
        List<ConfigUpdate> updates = new ArrayList<>();
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                LOG.warn("Config topic {} does not exist yet: starting with no jobs", topic);
                return updates;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read config topic " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records++;
                        updates.addAll(processor.process(ConfigRecordCodec.decode(record.key(), record.value(),
                                record.offset(), record.timestamp())).updates());
                    }
                }
            }
        }
        LOG.info("Bootstrapped {} config updates from {} records of {} ({} jobs active)", updates.size(), records, topic,
                processor.activeJobs());
        return updates;
    }
}
