package io.logpush.config.broadcast;

import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.testutils.Jobs;
import io.logpush.config.topic.ConfigRecordCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The owner watch against a real broker: what is on the topic before it starts, what comes later, a topic created later. */
class KafkaOwnerWatchITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    private static void send(ProducerRecord<byte[], byte[]> record) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record).get();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void knowsEveryOwnerAConfigNamesBeforeItReturnsAndNeverForgetsOne() throws Exception {
        String topic = "owners-before";
        KAFKA.createTopic(topic, 2);
        send(ConfigRecordCodec.upsert(topic, 1, Jobs.httpJobJson(1, "zone-a", true)));
        send(ConfigRecordCodec.upsert(topic, 2, Jobs.httpJobJson(2, "zone-b", false)));
        send(ConfigRecordCodec.delete(topic, 2));
        send(ConfigRecordCodec.upsert(topic, 3, "{\"zone_id\":\"zone-x\",\"dataset\":\"nope\"}"));
        send(new ProducerRecord<>(topic, "not-a-job".getBytes(StandardCharsets.UTF_8),
                "{\"zone_id\":\"zone-control\"}".getBytes(StandardCharsets.UTF_8)));
        send(new ProducerRecord<>(topic, "5".getBytes(StandardCharsets.UTF_8), new byte[] {'{', 0, (byte) 0xff}));

        try (OwnerWatch watch = KafkaOwnerWatch.start(KAFKA.clientProperties(), topic, Duration.ofSeconds(30))) {
            assertThat(watch.has("zone-a")).as("read before start returned").isTrue();
            assertThat(watch.has("zone-b")).as("disabled, then deleted: still known (the guard may hold the deletion)").isTrue();
            assertThat(watch.has("zone-x")).as("an invalid config's owner: more than needed is harmless").isTrue();
            assertThat(watch.has("zone-control")).as("not a job's key").isFalse();
            assertThat(watch.size()).isEqualTo(3);

            send(ConfigRecordCodec.upsert(topic, 4, Jobs.httpJobJson(4, "zone-c", true)));
            await("zone-c", () -> watch.has("zone-c"));
            assertThat(watch.size()).isEqualTo(4);
        }
    }

    @Test
    void followsATopicCreatedAfterItStarted() throws Exception {
        String topic = "owners-later";
        try (OwnerWatch watch = KafkaOwnerWatch.start(KAFKA.clientProperties(), topic, Duration.ofSeconds(30))) {
            assertThat(watch.size()).isZero();
            KAFKA.createTopic(topic, 1);
            send(ConfigRecordCodec.upsert(topic, 1, Jobs.httpJobJson(1, "zone-late", true)));
            await("zone-late", () -> watch.has("zone-late"));
        }
    }
}
