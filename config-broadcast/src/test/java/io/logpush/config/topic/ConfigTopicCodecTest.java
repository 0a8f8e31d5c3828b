package io.logpush.config.topic;

import io.logpush.config.ConfigError;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Round trips of the config and status topics' wire formats. */
class ConfigTopicCodecTest {

    private static final Instant T = Instant.parse("2024-11-14T10:00:00Z");

    private static ConfigRecord decode(ProducerRecord<byte[], byte[]> record, long offset) {
        return ConfigRecordCodec.decode(record.key(), record.value(), offset, T.toEpochMilli());
    }

    @Test
    void jobRecordsTombstonesAndConfirmationsRoundTrip() {
        assertThat(decode(ConfigRecordCodec.upsert("t", 42, "{\"id\":42}"), 7))
                .isEqualTo(new ConfigRecord.Upsert(42, 7, T, "{\"id\":42}"));
        assertThat(decode(ConfigRecordCodec.delete("t", 42), 8)).isEqualTo(new ConfigRecord.Delete(42, 8, T));
        List<ChangeId> ids = List.of(new ChangeId(42, 8), new ChangeId(43, 9));
        ProducerRecord<byte[], byte[]> confirm = ConfigRecordCodec.confirm("t", ids);
        assertThat(new String(confirm.key(), StandardCharsets.UTF_8)).startsWith("control:confirm:");
        assertThat(decode(confirm, 10)).isEqualTo(new ConfigRecord.Confirm(ids, 10, T));
    }

    @Test
    void unreadableKeysAreMalformedNotFatal() {
        assertThat(ConfigRecordCodec.decode("zone-1".getBytes(StandardCharsets.UTF_8), new byte[0], 1, 0))
                .isInstanceOf(ConfigRecord.Malformed.class);
        assertThat(ConfigRecordCodec.decode(null, null, 2, 0)).isInstanceOf(ConfigRecord.Malformed.class);
        assertThat(ConfigRecordCodec.decode("-5".getBytes(StandardCharsets.UTF_8), null, 3, 0)).isInstanceOf(ConfigRecord.Malformed.class);
        assertThat(ConfigRecordCodec.decode("control:confirm:x".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8), 4, 0))
                .isInstanceOf(ConfigRecord.Malformed.class);
    }

    @Test
    void statusRecordsRoundTrip() {
        List<ConfigStatus> statuses = List.of(
                new ConfigStatus.JobStatus(5, 12, ConfigStatus.State.REJECTED, Optional.of(10L),
                        List.of(new ConfigError("$.filter", "is not valid JSON")), T),
                new ConfigStatus.JobStatus(6, 13, ConfigStatus.State.DELETED, Optional.empty(), List.of(), T),
                new ConfigStatus.RecordRejected(14, "zone-1", "bad key", T),
                new ConfigStatus.GuardStatus(List.of(new ConfigStatus.HeldChange(new ChangeId(5, 15), "delete", T)), 99, T));
        for (ConfigStatus status : statuses) {
            assertThat(ConfigStatusCodec.decode(ConfigStatusCodec.key(status), ConfigStatusCodec.encode(status))).isEqualTo(status);
        }
    }
}
