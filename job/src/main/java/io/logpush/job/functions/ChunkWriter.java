package io.logpush.job.functions;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import org.apache.flink.util.Collector;

import java.util.Arrays;

/**
 * Cuts one batch's bytes into {@link BatchChunk}s of at most a fixed size, emitting as it goes.
 * Each chunk's array is allocated at the size it will have (the batch's size is known), filled and
 * handed over without a copy: with many jobs most batches hold a record or two, and a buffer of the
 * full chunk size per batch (1 MiB by default) was allocated, zeroed and copied for each of them.
 */
final class ChunkWriter {

    private final BatchDescriptor batch;
    private final Collector<BatchChunk> out;
    private final int chunkBytes;
    /** Bytes of the batch not yet in a chunk's array, as announced by the descriptor. */
    private long unwritten;
    private byte[] buffer;
    private int filled;
    private int index;

    ChunkWriter(BatchDescriptor batch, Collector<BatchChunk> out, int chunkBytes) {
        this.batch = batch;
        this.out = out;
        this.chunkBytes = chunkBytes;
        this.unwritten = batch.bytes();
        this.buffer = nextBuffer();
    }

    private byte[] nextBuffer() {
        byte[] next = new byte[(int) Math.max(0, Math.min(chunkBytes, unwritten))];
        unwritten -= next.length;
        return next;
    }

    void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (filled == buffer.length) {
                if (filled == chunkBytes) {
                    out.collect(new BatchChunk(batch, index++, false, buffer));
                    buffer = nextBuffer();
                    filled = 0;
                }
                if (filled == buffer.length) {
                    // More bytes than the descriptor announced: grow rather than lose any.
                    buffer = Arrays.copyOf(buffer, (int) Math.min(chunkBytes, Math.max(64, 2L * filled)));
                }
            }
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    /** Emits the last chunk (possibly empty, if the batch filled its chunks exactly). */
    void finish() {
        out.collect(new BatchChunk(batch, index, true, filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled)));
    }
}
