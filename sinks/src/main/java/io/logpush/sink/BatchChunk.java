package io.logpush.sink;

import java.util.Arrays;
import java.util.Objects;

/**
 * One piece of a batch on its way to the sink. A batch travels as chunks {@code 0..n}, the last
 * one marked, emitted by the buffering operator in one go (so a checkpoint barrier never falls
 * inside a batch) and never larger than a few MiB, so no batch is ever held in memory whole.
 */
public record BatchChunk(BatchDescriptor batch, int index, boolean last, byte[] bytes) {

    /** The largest chunk the buffering operator should emit. */
    public static final int MAX_BYTES = 4 << 20;

    public BatchChunk {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(bytes, "bytes");
        if (index < 0) {
            throw new IllegalArgumentException("chunk index must not be negative");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchChunk other && index == other.index && last == other.last
                && batch.equals(other.batch) && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batch, index, last, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "chunk " + index + (last ? " (last)" : "") + " of " + batch + ", " + bytes.length + " bytes";
    }
}
