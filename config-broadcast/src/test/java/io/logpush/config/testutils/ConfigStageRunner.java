package io.logpush.config.testutils;

import io.logpush.config.JobConfigParser;
import io.logpush.config.broadcast.ConfigProcessor;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.guard.GuardSettings;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatusCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Runs the pipeline's config stage ({@link ConfigProcessor}) against real config and status
 * topics, step by step, as the Flink config operator does: a test stand-in for that operator.
 */
public final class ConfigStageRunner implements AutoCloseable {

    private final ConfigProcessor processor;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String statusTopic;
    private final TopicPartition config;
    private final List<ConfigUpdate> broadcast = new ArrayList<>();

    public ConfigStageRunner(Properties kafka, String configTopic, String statusTopic, JobConfigParser parser) {
        this.processor = new ConfigProcessor(parser, GuardSettings.DEFAULT);
        this.statusTopic = statusTopic;
        this.config = new TopicPartition(configTopic, 0);
        Properties c = new Properties();
        c.putAll(kafka);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(c);
        consumer.assign(List.of(config));
        consumer.seekToBeginning(List.of(config));
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
    }

    /** Processes every config record published so far and publishes the resulting statuses. */
    public void catchUp() {
        long end = consumer.endOffsets(List.of(config)).get(config);
        while (consumer.position(config) < end) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                publish(processor.process(ConfigRecordCodec.decode(record.key(), record.value(), record.offset(), record.timestamp())));
            }
        }
        producer.flush();
    }

    /** Fires the guard's decision timer, as the operator's processing-time timer would. */
    public void fireDecisionTimer() {
        Instant due = processor.nextDecisionAt().orElse(Instant.now());
        publish(processor.tick(due));
        producer.flush();
    }

    public List<ConfigUpdate> broadcastSoFar() {
        return List.copyOf(broadcast);
    }

    private void publish(ConfigProcessor.Output output) {
        broadcast.addAll(output.updates());
        for (ConfigStatus status : output.statuses()) {
            producer.send(new ProducerRecord<>(statusTopic, ConfigStatusCodec.key(status), ConfigStatusCodec.encode(status)));
        }
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}
