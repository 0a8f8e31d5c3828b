package io.logpush.sink.committer;

import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.StagingArea;
import io.logpush.sink.delivery.BatchMover;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collection;
import java.util.function.LongSupplier;

/**
 * Makes staged batch objects visible once their checkpoint completes. Stateless and idempotent: it
 * always goes through {@code recoverForCommit(...).commitAfterRecovery()}, which finds an object
 * committed before a failover and leaves it be, so committing a committable twice is harmless.
 *
 * <p>It only touches the staging area, the sink's own storage: a customer's destination cannot
 * make it fail (delivery is the next step). When a re-commit after a failover finds the staged
 * object gone, the object was already delivered or dead-lettered, and that counts as committed.
 * Other I/O errors are retried later, and anything else fails over, as Flink's Kafka committer does.
 */
public final class BatchFileCommitter implements Committer<BatchCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchFileCommitter.class);

    private final BatchMover mover;
    private final RecoverableWriters writers;
    private final CommitterMetrics metrics;
    private final LongSupplier clock;

    public BatchFileCommitter(StagingArea staging, Compression compression, RecoverableWriters writers,
                              CommitterMetrics metrics, LongSupplier clock) {
        this.mover = new BatchMover(staging, compression);
        this.writers = writers;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void commit(Collection<CommitRequest<BatchCommittable>> requests) throws IOException {
        for (CommitRequest<BatchCommittable> request : requests) {
            BatchCommittable committable = request.getCommittable();
            try {
                commit(committable);
                metrics.batchesCommitted.inc();
                metrics.recordsCommitted.inc(committable.batch().records());
                metrics.bytesCommitted.inc(committable.writtenBytes());
                metrics.commitLatencyMs.update(Math.max(0, clock.getAsLong() - committable.closedAtMillis()));
                LOG.debug("Committed {} as {}", committable.batch(), committable.stagedPath());
            } catch (IOException e) {
                if (leftStaging(committable)) {
                    LOG.info("{} was committed and moved on before a failover", committable.batch());
                    continue;
                }
                metrics.transientFailures.inc();
                LOG.warn("Commit of {} failed (attempt {}); will retry: {}", committable.batch(),
                        request.getNumberOfRetries() + 1, e.toString());
                request.retryLater();
            }
        }
    }

    /** Whether the object already left the staging area: delivered, or dead-lettered. */
    private boolean leftStaging(BatchCommittable committable) {
        try {
            return mover.whereMoved(committable).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private void commit(BatchCommittable committable) throws IOException {
        Path staged = new Path(committable.stagedPath());
        RecoverableWriter writer = writers.forPath(staged);
        RecoverableWriter.CommitRecoverable recoverable = writer.getCommitRecoverableSerializer()
                .deserialize(committable.recoverableVersion(), committable.recoverable());
        writer.recoverForCommit(recoverable).commitAfterRecovery();
        if (!staged.getFileSystem().exists(staged)) {
            // Flink's local committer silently does nothing when the hidden file is gone too.
            throw new FileNotFoundException("neither the hidden nor the committed object exists: " + staged);
        }
    }

    @Override
    public void close() {
        // Nothing to release: file systems are shared and cached by Flink.
    }
}
