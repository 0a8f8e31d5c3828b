package io.logpush.sink.committer;

import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.testutils.Batches;
import io.logpush.sink.testutils.FakeCommitRequest;
import io.logpush.sink.testutils.SinkMetrics;
import io.logpush.sink.writer.BatchFileWriter;
import org.apache.flink.api.connector.sink2.Committer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** How the committer classifies failures and what it counts. */
class BatchFileCommitterTest {

    @TempDir
    Path root;

    private BatchCommittable writeOne(BatchDescriptor batch) throws Exception {
        BatchFileWriter writer = new BatchFileWriter(Compression.GZIP, new RecoverableWriters(), () -> 1_000L, SinkMetrics::writer);
        for (var chunk : Batches.chunks(batch, 128)) {
            writer.write(chunk, null);
        }
        return writer.prepareCommit().iterator().next();
    }

    @Test
    void countsWhatItCommitsAndHowLongItTook() throws Exception {
        CommitterMetrics metrics = SinkMetrics.committer();
        BatchCommittable committable = writeOne(Batches.descriptor(root, 1, 0, 40));
        new BatchFileCommitter(new RecoverableWriters(), metrics, () -> 1_250L)
                .commit(List.<Committer.CommitRequest<BatchCommittable>>of(new FakeCommitRequest<>(committable)));
        assertThat(metrics.batchesCommitted.getCount()).isEqualTo(1);
        assertThat(metrics.recordsCommitted.getCount()).isEqualTo(40);
        assertThat(metrics.bytesCommitted.getCount()).isEqualTo(committable.writtenBytes());
        assertThat(metrics.commitLatencyMs.getStatistics().getMax()).isEqualTo(250);
    }

    @Test
    void aVanishedDestinationIsRetriedLaterNotCountedAsDelivered() throws Exception {
        BatchDescriptor batch = Batches.descriptor(root, 2, 0, 40);
        BatchCommittable committable = writeOne(batch);
        // The destination directory, hidden object included, is removed before the checkpoint completes.
        try (Stream<Path> files = Files.walk(root.resolve("job-2"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        CommitterMetrics metrics = SinkMetrics.committer();
        FakeCommitRequest<BatchCommittable> request = new FakeCommitRequest<>(committable);
        new BatchFileCommitter(new RecoverableWriters(), metrics, () -> 2_000L)
                .commit(List.<Committer.CommitRequest<BatchCommittable>>of(request));
        assertThat(request.outcome()).isEqualTo(FakeCommitRequest.Outcome.RETRY_LATER);
        assertThat(metrics.destinationFailures.getCount()).isEqualTo(1);
        assertThat(metrics.batchesCommitted.getCount()).isZero();
    }

    @Test
    void oneBrokenDestinationDoesNotStopTheOthers() throws Exception {
        BatchCommittable broken = writeOne(Batches.descriptor(root, 3, 0, 10));
        BatchCommittable fine = writeOne(Batches.descriptor(root, 4, 0, 10));
        try (Stream<Path> files = Files.walk(root.resolve("job-3"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        FakeCommitRequest<BatchCommittable> brokenRequest = new FakeCommitRequest<>(broken);
        FakeCommitRequest<BatchCommittable> fineRequest = new FakeCommitRequest<>(fine);
        new BatchFileCommitter(new RecoverableWriters(), SinkMetrics.committer(), () -> 2_000L)
                .commit(List.<Committer.CommitRequest<BatchCommittable>>of(brokenRequest, fineRequest));
        assertThat(brokenRequest.outcome()).isEqualTo(FakeCommitRequest.Outcome.RETRY_LATER);
        assertThat(fineRequest.outcome()).isEqualTo(FakeCommitRequest.Outcome.COMMITTED);
        assertThat(Batches.visibleObjects(root)).singleElement().asString().contains("job-4");
    }
}
