package io.logpush.config.broadcast;

import io.logpush.config.JobConfigParser;
import io.logpush.config.guard.GuardSettings;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.TopicReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        ConfigProcessor processor = new ConfigProcessor(parser, settings);
        List<ConfigUpdate> updates = new ArrayList<>();
        long records = TopicReader.readToEnd(kafka, topic, timeout, record -> updates.addAll(processor.process(
                ConfigRecordCodec.decode(record.key(), record.value(), record.offset(), record.timestamp())).updates()));
        LOG.info("Bootstrapped {} config updates from {} records of {} ({} jobs active)", updates.size(), records, topic,
                processor.activeJobs());
        return updates;
    }

    @Override
    public Optional<OwnerWatch> watchOwners() {
        return Optional.of(KafkaOwnerWatch.start(kafka, topic, timeout));
    }
}
