package io.logpush.job.kafka;

import io.logpush.config.Dataset;
import io.logpush.job.records.RawEvent;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RawEventDeserializerTest {

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static RawEvent read(String key, String... headers) {
        return readWith(new RawEventDeserializer(), key, headers);
    }

    private static RawEvent readWith(RawEventDeserializer deserializer, String key, String... headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            recordHeaders.add(new RecordHeader(headers[i], utf8(headers[i + 1])));
        }
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("events", 3, 42, 1_000L, TimestampType.CREATE_TIME,
                -1, -1, utf8(key), utf8("{}"), recordHeaders, Optional.empty());
        List<RawEvent> out = new ArrayList<>();
        deserializer.deserialize(record, new Collector<>() {
            @Override
            public void collect(RawEvent event) {
                out.add(event);
            }

            @Override
            public void close() {}
        });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void theOwnerIsTheKeyAndTheDatasetAHeader() {
        RawEvent event = read("zone-a", "dataset", "http_requests");
        assertThat(event.owner()).isEqualTo("zone-a");
        assertThat(event.dataset()).isEqualTo("http_requests");
        assertThat(event.topic() + "/" + event.partition() + "/" + event.offset() + "@" + event.timestamp()).isEqualTo("events/3/42@1000");
    }

    @Test
    void anOwnerHeaderNamesTheOwnerWhateverTheKey() {
        assertThat(read("zone-a-shard-7", "owner", "zone-a", "dataset", "http_requests").owner()).isEqualTo("zone-a");
        assertThat(read(null, "dataset", "http_requests", "owner", "zone-a").owner()).isEqualTo("zone-a");
        assertThat(read("zone-a", "owner", null, "dataset", "http_requests").owner()).as("a header without a value is none").isEqualTo("zone-a");
    }

    @Test
    void whatIsMissingIsEmptyForTheRouterToDeadLetterAndTheLastHeaderWins() {
        RawEvent bare = read(null);
        assertThat(bare.owner()).isEmpty();
        assertThat(bare.dataset()).isEmpty();
        assertThat(read("zone-a", "dataset", "dns_logs", "dataset", "http_requests").dataset()).isEqualTo("http_requests");
    }

    @Test
    void onATopicOfOneDatasetAnEventWithoutTheHeaderIsOfTheTopicsDataset() {
        RawEventDeserializer topic = new RawEventDeserializer(Dataset.byName("http_requests").orElseThrow());
        assertThat(readWith(topic, "zone-a").dataset()).isEqualTo("http_requests");
        assertThat(readWith(topic, "zone-a").owner()).isEqualTo("zone-a");
        assertThat(readWith(topic, "zone-a-shard-7", "owner", "zone-a").owner()).isEqualTo("zone-a");
        assertThat(readWith(topic, "zone-a", "dataset", "dns_logs").dataset()).as("a header still names another").isEqualTo("dns_logs");
        assertThat(readWith(new RawEventDeserializer(null), "zone-a").dataset()).as("no topic dataset: none").isEmpty();
    }
}
