package io.logpush.job.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.sink.delivery.JobHealth;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JobHealthSerializerTest {

    private static final JobHealthSerializer SERIALIZER = new JobHealthSerializer("health");

    private static JobHealth health(int lane) {
        return new JobHealth(5, lane, JobHealth.State.ACTIVE, Instant.parse("2024-11-14T10:00:30Z"), null, null, 0, 0, 3, 0,
                Instant.parse("2024-11-14T10:00:31Z"));
    }

    private static JsonNode json(ProducerRecord<byte[], byte[]> record) throws Exception {
        return new ObjectMapper().readTree(record.value());
    }

    @Test
    void aJobsHealthIsKeyedByItsIdInCloudflaresFieldNames() throws Exception {
        ProducerRecord<byte[], byte[]> record = SERIALIZER.serialize(health(0), null, null);
        assertThat(record.topic()).isEqualTo("health");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("5");
        assertThat(json(record).get("id").asLong()).isEqualTo(5);
        assertThat(json(record).get("last_complete").asText()).isEqualTo("2024-11-14T10:00:30Z");
        assertThat(json(record).get("delivered_batches").asLong()).isEqualTo(3);
        assertThat(json(record).has("lane")).isFalse();
    }

    @Test
    void aHotJobsFurtherLaneReportsUnderAKeyOfItsOwn() throws Exception {
        ProducerRecord<byte[], byte[]> record = SERIALIZER.serialize(health(3), null, null);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("5/3");
        assertThat(json(record).get("id").asLong()).isEqualTo(5);
        assertThat(json(record).get("lane").asInt()).isEqualTo(3);
    }
}
