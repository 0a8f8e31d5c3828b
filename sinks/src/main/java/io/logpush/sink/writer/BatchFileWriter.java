package io.logpush.sink.writer;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.StagingArea;
import io.logpush.sink.committer.BatchCommittable;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Routes batch chunks to their objects in the staging area: opens an {@link OpenBatch} on a batch's first chunk,
 * streams each chunk into it, and on the last chunk closes it for commit. The committables of the
 * batches completed since the last checkpoint go to the committer at the next checkpoint. Objects
 * are made durable off the task thread, by an {@link ObjectCloser}; a checkpoint waits for them.
 *
 * <p>Because a batch is emitted in one go upstream, no batch is open when a checkpoint is taken,
 * and the writer has no state of its own. An open batch at a checkpoint breaks that contract and
 * fails loudly rather than risk a partial object.
 */
public final class BatchFileWriter implements CommittingSinkWriter<BatchChunk, BatchCommittable> {

    private final Compression compression;
    private final int gzipLevel;
    private final StagingArea staging;
    private final RecoverableWriters writers;
    private final LongSupplier clock;
    private final Map<BatchKey, OpenBatch> open = new LinkedHashMap<>();
    private final List<BatchCommittable> completed = new ArrayList<>();
    /** Compressors not in use: one per batch open at a time (normally one), reused from object to object. */
    private final ArrayDeque<GzipMember> compressors = new ArrayDeque<>();
    private final ObjectCloser closer;
    private final WriterMetrics metrics;

    /** Batches are told apart by job and sequence number. */
    private record BatchKey(long jobId, long sequence) {}

    /**
     * @param gzipLevel the deflate level of gzip objects, 1 (fastest) to 9 (smallest)
     * @param concurrentCloses how many finished objects may be made durable at once, off the task thread
     */
    public BatchFileWriter(Compression compression, int gzipLevel, StagingArea staging, RecoverableWriters writers, LongSupplier clock,
                           int concurrentCloses, Function<IntSupplier, WriterMetrics> metrics) {
        this.compression = compression;
        this.gzipLevel = gzipLevel;
        this.staging = staging;
        this.writers = writers;
        this.clock = clock;
        this.closer = new ObjectCloser(concurrentCloses);
        this.metrics = metrics.apply(open::size);
    }

    @Override
    public void write(BatchChunk chunk, Context context) throws IOException {
        BatchKey key = new BatchKey(chunk.batch().jobId(), chunk.batch().sequence());
        OpenBatch batch = open.get(key);
        if (batch == null) {
            if (chunk.index() != 0) {
                throw new IllegalStateException(chunk + " arrived without the batch's first chunk");
            }
            GzipMember gzip = compression == Compression.GZIP
                    ? Objects.requireNonNullElseGet(compressors.poll(), () -> new GzipMember(gzipLevel)) : null;
            batch = OpenBatch.open(chunk.batch(), compression, staging, writers, gzip);
            open.put(key, batch);
        }
        batch.write(chunk);
        if (chunk.last()) {
            open.remove(key);
            Callable<BatchCommittable> close = batch.finish(clock.getAsLong());
            release(batch);
            metrics.batchesWritten.inc();
            metrics.recordsWritten.inc(batch.batch().records());
            metrics.bytesUncompressed.inc(batch.uncompressedBytes());
            metrics.bytesWritten.inc(batch.writtenBytes());
            closer.submit(close, completed);
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // Objects are written as chunks arrive; nothing is buffered here.
    }

    @Override
    public Collection<BatchCommittable> prepareCommit() throws IOException {
        if (!open.isEmpty()) {
            throw new IllegalStateException("a checkpoint arrived while " + open.values().iterator().next().batch()
                    + " was still open: the buffering operator must emit each batch's chunks in one go");
        }
        closer.awaitAll(completed);
        List<BatchCommittable> ready = List.copyOf(completed);
        completed.clear();
        return ready;
    }

    @Override
    public void close() throws Exception {
        for (OpenBatch batch : open.values()) {
            batch.discard();
            release(batch);
        }
        open.clear();
        closer.close();
        compressors.forEach(GzipMember::close);
        compressors.clear();
    }

    private void release(OpenBatch batch) {
        if (batch.compressor() != null) {
            compressors.push(batch.compressor());
        }
    }
}
