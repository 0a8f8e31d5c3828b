package io.logpush.job.functions;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import org.apache.flink.util.Collector;

import java.util.Arrays;

/**
 * Cuts one batch's bytes into {@link BatchChunk}s of at most a fixed size, emitting as it goes;
 * pieces of the batch deflated ahead travel as chunks of their own. Each chunk's array is
 * allocated at the size it will have (the batch's size is known), filled and handed over without
 * a copy: with many jobs most batches hold a record or two, and a buffer of the full chunk size
 * per batch (1 MiB by default) was allocated, zeroed and copied for each of them.
 */
final class ChunkWriter {

    private static final byte[] EMPTY = new byte[0];

    private final BatchDescriptor batch;
    private final Collector<BatchChunk> out;
    private final int chunkBytes;
    /** Bytes of the batch not written yet, as announced by the descriptor. */
    private long unwritten;
    private byte[] buffer = EMPTY;
    private int filled;
    private int index;

    ChunkWriter(BatchDescriptor batch, Collector<BatchChunk> out, int chunkBytes) {
        this.batch = batch;
        this.out = out;
        this.chunkBytes = chunkBytes;
        this.unwritten = batch.bytes();
    }

    void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (filled == chunkBytes) {
                emit(false);
            }
            if (filled == buffer.length) {
                // The rest of the batch, up to a chunk; more bytes than the descriptor announced: grow rather than lose any.
                int size = (int) Math.min(chunkBytes, filled + Math.max(unwritten, Math.max(64, filled)));
                buffer = filled == 0 ? new byte[size] : Arrays.copyOf(buffer, size);
            }
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            unwritten -= n;
        }
    }

    /** Writes a piece of the batch deflated ahead: {@code length} bytes of blocks that inflate to {@code deflated}. */
    void writeDeflated(byte[] bytes, int offset, int length, BatchChunk.Deflated deflated) {
        if (filled > 0) {
            emit(false);
        }
        out.collect(new BatchChunk(batch, index++, false, Arrays.copyOfRange(bytes, offset, offset + length), deflated));
        unwritten -= deflated.length();
    }

    /** Emits the last chunk (possibly empty, if the batch filled its chunks exactly). */
    void finish() {
        emit(true);
    }

    private void emit(boolean last) {
        out.collect(new BatchChunk(batch, index++, last, filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled)));
        buffer = EMPTY;
        filled = 0;
    }
}
