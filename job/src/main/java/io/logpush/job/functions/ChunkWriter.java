package io.logpush.job.functions;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import org.apache.flink.util.Collector;

import java.util.Arrays;

/** Cuts one batch's bytes into {@link BatchChunk}s of at most a fixed size, emitting as it goes. */
final class ChunkWriter {

    private final BatchDescriptor batch;
    private final Collector<BatchChunk> out;
    private final byte[] buffer;
    private int filled;
    private int index;

    ChunkWriter(BatchDescriptor batch, Collector<BatchChunk> out, int chunkBytes) {
        this.batch = batch;
        this.out = out;
        this.buffer = new byte[chunkBytes];
    }

    void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (filled == buffer.length) {
                out.collect(new BatchChunk(batch, index++, false, buffer.clone()));
                filled = 0;
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
        out.collect(new BatchChunk(batch, index, true, Arrays.copyOf(buffer, filled)));
    }
}
