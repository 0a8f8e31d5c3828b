package io.logpush.sink;

import org.junit.jupiter.api.Test;

import java.time.Instant;

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

    @Test
    void validates() {
        assertThatThrownBy(() -> new BatchDescriptor(0, 1, 0, "file:///x", Instant.EPOCH, Instant.EPOCH, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchDescriptor(1, 1, 0, "file:///x/", Instant.EPOCH, Instant.EPOCH, 0, 0))
                .hasMessageContaining("trailing slash");
    }
}
