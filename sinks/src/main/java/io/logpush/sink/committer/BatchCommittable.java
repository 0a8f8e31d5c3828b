package io.logpush.sink.committer;

import io.logpush.sink.BatchDescriptor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch object that is completely written but not yet visible: what the committer makes visible
 * once the checkpoint that contains it completes. Immutable.
 *
 * @param targetPath the object's final URI
 * @param recoverableVersion the version of {@code recoverable}'s serializer (that of the target file system's
 *     {@link org.apache.flink.core.fs.RecoverableWriter})
 * @param recoverable the serialized commit recoverable: how to make the object visible
 * @param writtenBytes the object's size as written (compressed)
 * @param closedAtMillis when the batch was closed, for the commit-latency metric
 */
public record BatchCommittable(BatchDescriptor batch, String targetPath, int recoverableVersion, byte[] recoverable,
                               long writtenBytes, long closedAtMillis) {

    public BatchCommittable {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(targetPath, "targetPath");
        Objects.requireNonNull(recoverable, "recoverable");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchCommittable other && batch.equals(other.batch) && targetPath.equals(other.targetPath)
                && recoverableVersion == other.recoverableVersion && Arrays.equals(recoverable, other.recoverable)
                && writtenBytes == other.writtenBytes && closedAtMillis == other.closedAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(batch, targetPath, recoverableVersion, Arrays.hashCode(recoverable), writtenBytes, closedAtMillis);
    }

    @Override
    public String toString() {
        return batch + " -> " + targetPath;
    }
}
