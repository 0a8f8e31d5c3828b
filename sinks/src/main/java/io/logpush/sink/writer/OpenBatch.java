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
import java.util.zip.GZIPOutputStream;

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
    private final GZIPOutputStream gzip;
    private int nextChunk;
    private long uncompressed;

    private OpenBatch(BatchDescriptor batch, Path target, String destination, RecoverableWriter writer,
                      RecoverableFsDataOutputStream stream, GZIPOutputStream gzip) {
        this.batch = batch;
        this.target = target;
        this.destination = destination;
        this.writer = writer;
        this.stream = stream;
        this.gzip = gzip;
        this.out = gzip == null ? stream : gzip;
    }

    static OpenBatch open(BatchDescriptor batch, Compression compression, StagingArea staging, RecoverableWriters writers)
            throws IOException {
        Path target = staging.stagedPath(batch, compression);
        RecoverableWriter writer = writers.forPath(target);
        RecoverableFsDataOutputStream stream = writer.open(target);
        GZIPOutputStream gzip = compression == Compression.GZIP ? new GZIPOutputStream(stream, 64 << 10) : null;
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
        out.write(chunk.bytes());
        uncompressed += chunk.bytes().length;
    }

    long uncompressedBytes() {
        return uncompressed;
    }

    /** Finishes the object; it stays invisible until its committable is committed. */
    BatchCommittable closeForCommit(long nowMillis) throws IOException {
        if (gzip != null) {
            gzip.finish();
        }
        long written = stream.getPos();
        RecoverableWriter.CommitRecoverable recoverable = stream.closeForCommit().getRecoverable();
        byte[] serialized = writer.getCommitRecoverableSerializer().serialize(recoverable);
        return new BatchCommittable(batch, target.toString(), destination,
                writer.getCommitRecoverableSerializer().getVersion(), serialized, written, nowMillis);
    }

    /**
     * Abandons the object (on shutdown or failover): its hidden data is never committed. The
     * compressor is not closed, as that would write a trailer; its native memory goes with it.
     */
    void discard() throws IOException {
        stream.close();
    }
}
