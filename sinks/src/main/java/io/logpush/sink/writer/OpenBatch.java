package io.logpush.sink.writer;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.StagingArea;
import io.logpush.sink.committer.BatchCommittable;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Callable;

/**
 * One batch object being written: a recoverable stream to its path in the staging area (hidden
 * until committed), compressed on the fly. Memory is the compressor's window plus the file system's part buffer,
 * whatever the batch's size.
 */
final class OpenBatch {

    private final BatchDescriptor batch;
    private final Path target;
    private final String destination;
    private final RecoverableWriter writer;
    private final RecoverableFsDataOutputStream stream;
    private final OutputStream out;
    private final GzipMember gzip;
    private int nextChunk;
    private long uncompressed;

    private OpenBatch(BatchDescriptor batch, Path target, String destination, RecoverableWriter writer,
                      RecoverableFsDataOutputStream stream, GzipMember gzip) {
        this.batch = batch;
        this.target = target;
        this.destination = destination;
        this.writer = writer;
        this.stream = stream;
        this.gzip = gzip;
        this.out = gzip == null ? stream : gzip;
    }

    /** @param gzip the compressor to use (free), or null for an uncompressed object */
    static OpenBatch open(BatchDescriptor batch, Compression compression, StagingArea staging, RecoverableWriters writers,
                          GzipMember gzip) throws IOException {
        Path target = staging.stagedPath(batch, compression);
        RecoverableWriter writer = writers.forPath(target);
        RecoverableFsDataOutputStream stream = writer.open(target);
        if (gzip != null) {
            gzip.start(stream);
        }
        return new OpenBatch(batch, target, batch.objectPath(compression), writer, stream, gzip);
    }

    BatchDescriptor batch() {
        return batch;
    }

    void write(BatchChunk chunk) throws IOException {
        if (chunk.index() != nextChunk) {
            throw new IllegalStateException("chunk " + chunk.index() + " of " + batch + " arrived when chunk "
                    + nextChunk + " was due: the buffering operator must emit a batch's chunks in order");
        }
        nextChunk++;
        BatchChunk.Deflated deflated = chunk.deflated();
        if (deflated == null) {
            out.write(chunk.bytes());
            uncompressed += chunk.bytes().length;
        } else if (gzip != null) {
            gzip.writeDeflated(chunk.bytes(), deflated.crc32(), deflated.length());
            uncompressed += deflated.length();
        } else {
            throw new IllegalStateException(chunk + " is deflated, but " + batch
                    + " is written uncompressed: the buffering operator must deflate pages only for a gzip sink, at its level");
        }
    }

    long uncompressedBytes() {
        return uncompressed;
    }

    /**
     * Writes the object's last bytes, which frees its compressor, and returns the rest of the
     * close: making the object durable (an {@code fsync}, or the last part's upload), which may run
     * on another thread. The object stays invisible until its committable is committed.
     */
    Callable<BatchCommittable> finish(long nowMillis) throws IOException {
        if (gzip != null) {
            gzip.finish();
        }
        long written = stream.getPos();
        return () -> {
            RecoverableWriter.CommitRecoverable recoverable = stream.closeForCommit().getRecoverable();
            byte[] serialized = writer.getCommitRecoverableSerializer().serialize(recoverable);
            return new BatchCommittable(batch, target.toString(), destination,
                    writer.getCommitRecoverableSerializer().getVersion(), serialized, written, nowMillis);
        };
    }

    /** The bytes written to the object so far (compressed); final once {@link #finish} has run. */
    long writtenBytes() throws IOException {
        return stream.getPos();
    }

    /** The compressor, free again once the object is closed or discarded; null if uncompressed. */
    GzipMember compressor() {
        return gzip;
    }

    /** Abandons the object (on shutdown or failover): its hidden data is never committed. */
    void discard() throws IOException {
        if (gzip != null) {
            gzip.abandon();
        }
        stream.close();
    }
}
