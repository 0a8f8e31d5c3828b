package io.logpush.sink.writer;

import io.logpush.sink.committer.BatchCommittable;
import io.logpush.sink.testutils.Batches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Closes off the task thread: order kept, in-flight bound, failures surfaced. */
class ObjectCloserTest {

    @TempDir
    Path root;

    private Callable<BatchCommittable> closing(long sequence, CountDownLatch release) {
        BatchCommittable committable = new BatchCommittable(Batches.descriptor(root, 1, sequence, 1), "staged-" + sequence,
                "destination-" + sequence, 1, new byte[0], 10, 0);
        return () -> {
            release.await();
            return committable;
        };
    }

    @Test
    void committablesComeBackInTheOrderTheirBatchesCompletedWhicheverCloseEndsFirst() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch rest = new CountDownLatch(0);
        List<BatchCommittable> done = new ArrayList<>();
        try (ObjectCloser closer = new ObjectCloser(4)) {
            closer.submit(closing(0, first), done);
            closer.submit(closing(1, rest), done);
            closer.submit(closing(2, rest), done);
            assertThat(done).as("nothing waited for below the bound").isEmpty();
            assertThat(closer.inFlight()).isEqualTo(3);
            first.countDown();
            closer.awaitAll(done);
        }
        assertThat(done).extracting(c -> c.batch().sequence()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void atTheBoundASubmitFirstCollectsTheOldestClose() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        List<BatchCommittable> done = new ArrayList<>();
        try (ObjectCloser closer = new ObjectCloser(2)) {
            for (long sequence = 0; sequence < 5; sequence++) {
                closer.submit(closing(sequence, open), done);
                assertThat(closer.inFlight()).isLessThanOrEqualTo(2);
            }
            assertThat(done).extracting(c -> c.batch().sequence()).containsExactly(0L, 1L, 2L);
            closer.awaitAll(done);
            assertThat(closer.inFlight()).isZero();
        }
        assertThat(done).extracting(c -> c.batch().sequence()).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void aFailedCloseFailsTheWaitWithItsReason() throws Exception {
        List<BatchCommittable> done = new ArrayList<>();
        try (ObjectCloser closer = new ObjectCloser(2)) {
            closer.submit(() -> {
                throw new IOException("disk full");
            }, done);
            assertThatThrownBy(() -> closer.awaitAll(done)).isInstanceOf(IOException.class).hasMessage("disk full");
            closer.submit(() -> {
                throw new IllegalStateException("stream already closed");
            }, done);
            assertThatThrownBy(() -> closer.awaitAll(done)).isInstanceOf(IOException.class)
                    .hasMessageContaining("closing a batch object failed").hasRootCauseMessage("stream already closed");
        }
        assertThat(done).isEmpty();
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new ObjectCloser(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
