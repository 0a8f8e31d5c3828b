package io.logpush.config.topic;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** The pipeline's Kafka topics: default names, and creation of the compacted config and health topics. */
public final class ConfigTopics {

    public static final String CONFIG = "logpush-config";
    public static final String STATUS = "logpush-config-status";
    public static final String EVENTS = "logpush-events";
    public static final String DLQ = "logpush-dlq";
    /** Compacted, key = job id: each job's delivery health (state, last_complete, last_error, ...). */
    public static final String HEALTH = "logpush-health";

    private ConfigTopics() {}

    /**
     * Creates {@code topic} compacted with a single partition, unless it exists. One partition keeps
     * every config record in one order, which the config guard's decisions rely on.
     *
     * @return whether the topic was created
     */
    public static boolean createCompactedIfMissing(Admin admin, String topic, short replicationFactor)
            throws InterruptedException, ExecutionException {
        NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(newTopic)).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }
}
