package io.logpush.sink.committer;

import io.logpush.sink.BatchDescriptor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch object that is completely written to the sink's staging area but not yet visible: what
 * the committer makes visible once the checkpoint that contains it completes, and what the
 * delivery step then moves to the job's destination. Immutable.
 *
 * <p>It keeps its serialized form once written: Flink's committer serializes its state with
 * {@code SimpleVersionedSerialization.writeVersionAndSerializeList}, which calls the serializer
 * twice per element, three lists deep, so each committable was serialized 8 times per checkpoint.
 */
public final class BatchCommittable {

    private final BatchDescriptor batch;
    private final String stagedPath;
    private final String destinationPath;
    private final int recoverableVersion;
    private final byte[] recoverable;
    private final long writtenBytes;
    private final long closedAtMillis;
    /** The form {@link BatchCommittableSerializer} wrote, once it wrote it (never changed afterwards). */
    private volatile byte[] serialized;

    /**
     * @param stagedPath the object's URI in the staging area (system-owned storage)
     * @param destinationPath the object's final URI at the job's destination
     * @param recoverableVersion the version of {@code recoverable}'s serializer (that of the staging file system's
     *     {@link org.apache.flink.core.fs.RecoverableWriter})
     * @param recoverable the serialized commit recoverable: how to make the staged object visible
     * @param writtenBytes the object's size as written (compressed)
     * @param closedAtMillis when the batch was closed, for the latency metrics
     */
    public BatchCommittable(BatchDescriptor batch, String stagedPath, String destinationPath, int recoverableVersion,
                            byte[] recoverable, long writtenBytes, long closedAtMillis) {
        this.batch = Objects.requireNonNull(batch, "batch");
        this.stagedPath = Objects.requireNonNull(stagedPath, "stagedPath");
        this.destinationPath = Objects.requireNonNull(destinationPath, "destinationPath");
        this.recoverableVersion = recoverableVersion;
        this.recoverable = Objects.requireNonNull(recoverable, "recoverable");
        this.writtenBytes = writtenBytes;
        this.closedAtMillis = closedAtMillis;
    }

    public BatchDescriptor batch() {
        return batch;
    }

    public String stagedPath() {
        return stagedPath;
    }

    public String destinationPath() {
        return destinationPath;
    }

    public int recoverableVersion() {
        return recoverableVersion;
    }

    public byte[] recoverable() {
        return recoverable;
    }

    public long writtenBytes() {
        return writtenBytes;
    }

    public long closedAtMillis() {
        return closedAtMillis;
    }

    byte[] serialized() {
        return serialized;
    }

    void serialized(byte[] form) {
        serialized = form;
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
