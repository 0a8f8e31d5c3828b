package io.logpush.sink.committer;

import io.logpush.sink.BatchDescriptor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch object that is completely written to the sink's staging area but not yet visible: what
 * the committer makes visible once the checkpoint that contains it completes, and what the
 * delivery step then moves to the job's destination. Immutable.
 *
 * @param stagedPath the object's URI in the staging area (system-owned storage)
 * @param destinationPath the object's final URI at the job's destination
 * @param recoverableVersion the version of {@code recoverable}'s serializer (that of the staging file system's
 *     {@link org.apache.flink.core.fs.RecoverableWriter})
 * @param recoverable the serialized commit recoverable: how to make the staged object visible
 * @param writtenBytes the object's size as written (compressed)
 * @param closedAtMillis when the batch was closed, for the latency metrics
 */
public record BatchCommittable(BatchDescriptor batch, String stagedPath, String destinationPath, int recoverableVersion,
                               byte[] recoverable, long writtenBytes, long closedAtMillis) {

    public BatchCommittable {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(stagedPath, "stagedPath");
        Objects.requireNonNull(destinationPath, "destinationPath");
        Objects.requireNonNull(recoverable, "recoverable");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchCommittable other && batch.equals(other.batch) && stagedPath.equals(other.stagedPath)
                && destinationPath.equals(other.destinationPath) && recoverableVersion == other.recoverableVersion
                && Arrays.equals(recoverable, other.recoverable) && writtenBytes == other.writtenBytes
                && closedAtMillis == other.closedAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(batch, stagedPath, destinationPath, recoverableVersion, Arrays.hashCode(recoverable), writtenBytes,
                closedAtMillis);
    }

    @Override
    public String toString() {
        return batch + " -> " + destinationPath;
    }
}
