package io.logpush.sink.committer;

import io.logpush.sink.RecoverableWriters;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;
import java.util.function.LongSupplier;

/**
 * Makes batch objects visible once their checkpoint completes. Stateless and idempotent: it
 * always goes through {@code recoverForCommit(...).commitAfterRecovery()}, which finds an object
 * committed before a failover and leaves it be, so committing a committable twice is harmless.
 *
 * <p>Failures are classified as Flink's Kafka committer does: a missing or forbidden destination
 * is that job's problem and an I/O error may pass, so both are retried later without restarting
 * the job (and counted by reason); anything else is unknown and fails over.
 */
public final class BatchFileCommitter implements Committer<BatchCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchFileCommitter.class);

    private final RecoverableWriters writers;
    private final CommitterMetrics metrics;
    private final LongSupplier clock;

    public BatchFileCommitter(RecoverableWriters writers, CommitterMetrics metrics, LongSupplier clock) {
        this.writers = writers;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void commit(Collection<CommitRequest<BatchCommittable>> requests) throws IOException {
        for (CommitRequest<BatchCommittable> request : requests) {
            BatchCommittable committable = request.getCommittable();
            try {
                RecoverableWriter writer = writers.forPath(new Path(committable.targetPath()));
                RecoverableWriter.CommitRecoverable recoverable = writer.getCommitRecoverableSerializer()
                        .deserialize(committable.recoverableVersion(), committable.recoverable());
                writer.recoverForCommit(recoverable).commitAfterRecovery();
                Path target = new Path(committable.targetPath());
                if (!target.getFileSystem().exists(target)) {
                    // Flink's local committer silently does nothing when the hidden file is gone too.
                    throw new FileNotFoundException("neither the hidden nor the committed object exists: " + target);
                }
                metrics.batchesCommitted.inc();
                metrics.recordsCommitted.inc(committable.batch().records());
                metrics.bytesCommitted.inc(committable.writtenBytes());
                metrics.commitLatencyMs.update(Math.max(0, clock.getAsLong() - committable.closedAtMillis()));
                LOG.info("Committed {} as {}", committable.batch(), committable.targetPath());
            } catch (FileNotFoundException | NoSuchFileException | AccessDeniedException e) {
                metrics.destinationFailures.inc();
                LOG.warn("Destination of job {} refused {} (attempt {}); will retry: {}", committable.batch().jobId(),
                        committable.batch(), request.getNumberOfRetries() + 1, e.toString());
                request.retryLater();
            } catch (IOException e) {
                metrics.transientFailures.inc();
                LOG.warn("Commit of {} failed (attempt {}); will retry: {}", committable.batch(),
                        request.getNumberOfRetries() + 1, e.toString());
                request.retryLater();
            }
        }
    }

    @Override
    public void close() {
        // Nothing to release: file systems are shared and cached by Flink.
    }
}
