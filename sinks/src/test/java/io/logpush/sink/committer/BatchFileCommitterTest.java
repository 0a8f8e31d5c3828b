package io.logpush.sink.committer;

import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.BatchFileSink;
import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.StagingArea;
import io.logpush.sink.testutils.Batches;
import io.logpush.sink.testutils.FakeCommitRequest;
import io.logpush.sink.testutils.SinkMetrics;
import io.logpush.sink.writer.BatchFileWriter;
import org.apache.flink.api.connector.sink2.Committer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the committer counts, and how it tells an object that moved on from one that is lost. */
class BatchFileCommitterTest {

    @TempDir
    Path root;

    private StagingArea staging() {
        return Batches.staging(root);
    }

    private BatchCommittable writeOne(BatchDescriptor batch) throws Exception {
        BatchFileWriter writer = new BatchFileWriter(Compression.GZIP, BatchFileSink.DEFAULT_GZIP_LEVEL, staging(), new RecoverableWriters(), () -> 1_000L, 2,
                SinkMetrics::writer);
        for (var chunk : Batches.chunks(batch, 128)) {
            writer.write(chunk, null);
        }
        return writer.prepareCommit().iterator().next();
    }

    private FakeCommitRequest<BatchCommittable> commit(BatchCommittable committable, CommitterMetrics metrics) throws Exception {
        FakeCommitRequest<BatchCommittable> request = new FakeCommitRequest<>(committable);
        new BatchFileCommitter(staging(), Compression.GZIP, new RecoverableWriters(), metrics, () -> 1_250L)
                .commit(List.<Committer.CommitRequest<BatchCommittable>>of(request));
        return request;
    }

    private void deleteStagingOf(long job) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("system/staging"))) {
            // The job's staged objects, and their hidden in-progress files.
            files.filter(p -> p.getFileName().toString().replaceFirst("^\\.", "").startsWith(job + "-"))
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void countsWhatItCommitsAndHowLongItTook() throws Exception {
        CommitterMetrics metrics = SinkMetrics.committer();
        BatchCommittable committable = writeOne(Batches.descriptor(root, 1, 0, 40));
        assertThat(commit(committable, metrics).outcome()).isEqualTo(FakeCommitRequest.Outcome.COMMITTED);
        assertThat(metrics.batchesCommitted.getCount()).isEqualTo(1);
        assertThat(metrics.recordsCommitted.getCount()).isEqualTo(40);
        assertThat(metrics.bytesCommitted.getCount()).isEqualTo(committable.writtenBytes());
        assertThat(metrics.commitLatencyMs.getStatistics().getMax()).isEqualTo(250);
    }

    @Test
    void aStagedObjectThatIsGoneAndNowhereElseIsRetriedLater() throws Exception {
        BatchCommittable committable = writeOne(Batches.descriptor(root, 2, 0, 40));
        deleteStagingOf(2);
        CommitterMetrics metrics = SinkMetrics.committer();
        assertThat(commit(committable, metrics).outcome()).isEqualTo(FakeCommitRequest.Outcome.RETRY_LATER);
        assertThat(metrics.transientFailures.getCount()).isEqualTo(1);
        assertThat(metrics.batchesCommitted.getCount()).isZero();
    }

    @Test
    void aStagedObjectAlreadyDeliveredBeforeAFailoverCountsAsCommitted() throws Exception {
        BatchCommittable committable = writeOne(Batches.descriptor(root, 3, 0, 10));
        commit(committable, SinkMetrics.committer());
        // Delivered (moved to its destination), then the job failed over and the committable came back.
        Path destination = Path.of(java.net.URI.create(committable.destinationPath()));
        Files.createDirectories(destination.getParent());
        Files.move(Batches.local(new org.apache.flink.core.fs.Path(committable.stagedPath())), destination);
        CommitterMetrics metrics = SinkMetrics.committer();
        assertThat(commit(committable, metrics).outcome()).isEqualTo(FakeCommitRequest.Outcome.COMMITTED);
        assertThat(metrics.transientFailures.getCount()).isZero();
    }

    @Test
    void aBatchStagedInAJobFolderByAnEarlierVersionIsStillCommitted() throws Exception {
        // Versions before the flat staging folder staged each job's objects in a folder of its own;
        // a committable restored from their checkpoints names that path.
        BatchDescriptor batch = Batches.descriptor(root, 4, 0, 10);
        org.apache.flink.core.fs.Path staged = new org.apache.flink.core.fs.Path(
                staging().root() + "/staging/4/0-" + batch.objectName(Compression.GZIP));
        RecoverableWriters writers = new RecoverableWriters();
        var writer = writers.forPath(staged);
        var out = writer.open(staged);
        out.write(new byte[] {1, 2, 3});
        byte[] recoverable = writer.getCommitRecoverableSerializer().serialize(out.closeForCommit().getRecoverable());
        BatchCommittable committable = new BatchCommittable(batch, staged.toString(), batch.objectPath(Compression.GZIP),
                writer.getCommitRecoverableSerializer().getVersion(), recoverable, 3, 1_000L);

        assertThat(commit(committable, SinkMetrics.committer()).outcome()).isEqualTo(FakeCommitRequest.Outcome.COMMITTED);
        assertThat(Batches.visibleObjects(root)).containsExactly(Batches.local(staged));
    }
}
