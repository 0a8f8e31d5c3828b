package io.logpush.config.broadcast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.logpush.config.OwnerKind;
import io.logpush.config.topic.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows the config topic with a consumer of its own: reads it to its end before the first event
 * (as {@link KafkaConfigBootstrap} does), then tails it on a daemon thread, checking for new
 * partitions (or a topic created later) every few seconds.
 */
final class KafkaOwnerWatch implements OwnerWatch {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOwnerWatch.class);
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(5);
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> OWNER_FIELDS = Set.of(OwnerKind.ZONE.jsonField(), OwnerKind.ACCOUNT.jsonField());

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Set<String> owners = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile boolean closed;

    private KafkaOwnerWatch(Properties kafka, String topic) {
        this.topic = topic;
        this.consumer = TopicReader.consumer(kafka);
        this.thread = new Thread(this::follow, "owner-watch-" + topic);
        thread.setDaemon(true);
    }

    /** Reads {@code topic} to its current end, then follows it. */
    static KafkaOwnerWatch start(Properties kafka, String topic, Duration timeout) {
        KafkaOwnerWatch watch = new KafkaOwnerWatch(kafka, topic);
        try {
            watch.readToEnd(timeout);
        } catch (RuntimeException e) {
            watch.consumer.close();
            throw e;
        }
        LOG.info("Knows {} owners with a config on {}; following it", watch.owners.size(), topic);
        // The consumer is the thread's from here on (KafkaConsumer is single-threaded).
        watch.thread.start();
        return watch;
    }

    private void readToEnd(Duration timeout) {
        assignNewPartitions(timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout.toSeconds() + " s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(this::learn);
        }
    }

    private void follow() {
        long nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
        try {
            while (!closed) {
                if (assigned.isEmpty()) {
                    // No topic yet: nothing to poll (a consumer without partitions refuses to), look again soon.
                    Thread.sleep(500);
                } else {
                    consumer.poll(Duration.ofMillis(500)).forEach(this::learn);
                }
                if (System.nanoTime() > nextCheck) {
                    assignNewPartitions(PARTITION_CHECK);
                    nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close()
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.error("Stopped following {}: events of owners configured from now on would be dropped, so the"
                        + " task fails on its next event", topic, e);
                failure = e;
            }
        } finally {
            consumer.close();
        }
    }

    private void assignNewPartitions(Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null) {
            return;
        }
        Set<TopicPartition> added = new HashSet<>();
        for (PartitionInfo p : partitions) {
            TopicPartition tp = new TopicPartition(topic, p.partition());
            if (!assigned.contains(tp)) {
                added.add(tp);
            }
        }
        if (!added.isEmpty()) {
            assigned.addAll(added);
            consumer.assign(assigned);
            consumer.seekToBeginning(added);
        }
    }

    /**
     * Remembers the owner a config names, without validating the rest: the router routes only valid
     * configs, whose owner is exactly their {@code zone_id} or {@code account_id}, so taking both from
     * every upsert keeps a superset at a fraction of a full parse (startup reads every config).
     */
    private void learn(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null || record.key() == null || !isJobKey(record.key())) {
            return;
        }
        // Decoded as the config stage decodes it, so that an owner id is the same string in both.
        try (JsonParser json = JSON.createParser(new String(record.value(), StandardCharsets.UTF_8))) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (value == JsonToken.VALUE_STRING && OWNER_FIELDS.contains(field)) {
                    owners.add(json.getText());
                } else {
                    json.skipChildren();
                }
            }
        } catch (IOException e) {
            // Not JSON: the config stage rejects it, and the router routes nothing for it.
        }
    }

    private static boolean isJobKey(byte[] key) {
        for (byte b : key) {
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return key.length > 0;
    }

    @Override
    public boolean has(String owner) {
        RuntimeException failed = failure;
        if (failed != null) {
            throw new IllegalStateException("stopped following the config topic " + topic, failed);
        }
        return owners.contains(owner);
    }

    @Override
    public int size() {
        return owners.size();
    }

    @Override
    public void close() {
        closed = true;
        // Not interrupted: an interrupted consumer cannot close cleanly; a sleeping follower sees closed within 0.5 s.
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
