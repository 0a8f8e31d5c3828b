package io.logpush.sink;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batch object names: Cloudflare's shape, deterministic per job and sequence. */
class BatchDescriptorTest {

    private static BatchDescriptor batch(long job, long sequence) {
        return new BatchDescriptor(job, 1, sequence, "file:///logs/20241114", Instant.parse("2024-11-14T22:07:21.5Z"),
                Instant.parse("2024-11-14T22:07:51Z"), 10, 100);
    }

    @Test
    void namesLookLikeCloudflares() {
        assertThat(batch(1, 0).objectName(Compression.GZIP)).matches("20241114T220721Z_20241114T220751Z_[0-9a-f]{8}\\.log\\.gz");
        assertThat(batch(1, 0).objectName(Compression.NONE)).endsWith(".log");
        assertThat(batch(1, 0).objectPath(Compression.GZIP)).startsWith("file:///logs/20241114/20241114T220721Z_");
    }

    @Test
    void theHashDependsOnJobAndSequenceOnly() {
        assertThat(batch(1, 0).hash()).isEqualTo(batch(1, 0).hash());
        assertThat(batch(1, 0).hash()).isNotEqualTo(batch(1, 1).hash()).isNotEqualTo(batch(2, 0).hash());
        assertThat(batch(1, 0).hash()).isEqualTo(new BatchDescriptor(1, 1, 0, "s3://other/x", Instant.EPOCH, Instant.EPOCH, 0, 0).hash());
    }

    /** Names are part of exactly-once (a replayed batch must get its first name): pinned to their first formulas. */
    @Test
    void namesAreThoseOfTheFormatterAndTheHexFormat() {
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        assertThat(batch(1, 0).hash()).isEqualTo("7b1dcdaf");
        Random random = new Random(42);
        List<Instant> times = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-06-30T12:00:00Z"), Instant.ofEpochSecond(-1)));
        for (int i = 0; i < 1000; i++) {
            times.add(Instant.ofEpochMilli(random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L)));
        }
        for (Instant first : times) {
            Instant last = first.plusSeconds(random.nextInt(100_000));
            long job = 1 + random.nextInt(Integer.MAX_VALUE);
            long sequence = random.nextInt(1_000_000);
            BatchDescriptor batch = new BatchDescriptor(job, 1, sequence, "file:///x", first, last, 1, 1);
            long z = job * 0x9E3779B97F4A7C15L + sequence;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            String hash = String.format("%08x", (int) (z ^ (z >>> 31)));
            assertThat(batch.objectName(Compression.GZIP))
                    .isEqualTo(stamp.format(first) + "_" + stamp.format(last) + "_" + hash + ".log.gz");
        }
    }

    @Test
    void validates() {
        assertThatThrownBy(() -> new BatchDescriptor(0, 1, 0, "file:///x", Instant.EPOCH, Instant.EPOCH, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchDescriptor(1, 1, 0, "file:///x/", Instant.EPOCH, Instant.EPOCH, 0, 0))
                .hasMessageContaining("trailing slash");
    }
}
