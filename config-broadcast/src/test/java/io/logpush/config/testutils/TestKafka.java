package io.logpush.config.testutils;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Properties;

/** A real Kafka broker a test started: in-process ({@link EmbeddedKafka}) or as its own process ({@link KafkaBrokerProcess}). */
public interface TestKafka {

    String bootstrapServers();

    Properties clientProperties();

    default Admin admin() {
        return Admin.create(clientProperties());
    }

    default void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }
}
