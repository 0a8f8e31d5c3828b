package io.logpush.sink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink's builder refuses settings it cannot honour, with a message that says which. */
class BatchFileSinkBuilderTest {

    @TempDir
    Path staging;

    @Test
    void aStagingAreaIsRequired() {
        assertThatThrownBy(() -> BatchFileSink.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("staging area");
    }

    @Test
    void gzipLevelsOutsideOneToNineAreRefused() {
        assertThatThrownBy(() -> BatchFileSink.builder().gzipLevel(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 (fastest) to 9 (smallest), not 0");
        assertThatThrownBy(() -> BatchFileSink.builder().gzipLevel(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 10");
        assertThat(BatchFileSink.builder().gzipLevel(1).gzipLevel(9).staging(staging.toUri().toString()).build()).isNotNull();
    }

    @Test
    void atLeastOneConcurrentClose() {
        assertThatThrownBy(() -> BatchFileSink.builder().concurrentCloses(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, not 0");
    }
}
