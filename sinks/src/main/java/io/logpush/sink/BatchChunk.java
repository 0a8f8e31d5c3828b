package io.logpush.sink;

import java.util.Arrays;
import java.util.Objects;

/**
 * One piece of a batch on its way to the sink. A batch travels as chunks {@code 0..n}, the last
 * one marked, emitted by the buffering operator in one go (so a checkpoint barrier never falls
 * inside a batch) and never larger than a few MiB, so no batch is ever held in memory whole.
 *
 * <p>A chunk's bytes are the object's content, or, when {@link #deflated()} is set, that content
 * already compressed by a {@link BlockDeflater} at the sink's level (the buffering operator
 * compresses pages of records once, before they go to state, instead of at close).
 */
public record BatchChunk(BatchDescriptor batch, int index, boolean last, byte[] bytes, Deflated deflated) {

    /** The largest chunk the buffering operator should emit. */
    public static final int MAX_BYTES = 4 << 20;

    public BatchChunk {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(bytes, "bytes");
        if (index < 0) {
            throw new IllegalArgumentException("chunk index must not be negative");
        }
    }

    /** A chunk of content as it is. */
    public BatchChunk(BatchDescriptor batch, int index, boolean last, byte[] bytes) {
        this(batch, index, last, bytes, null);
    }

    /**
     * What a deflated chunk's blocks inflate to: raw-deflate blocks, ending on a byte boundary and
     * not final (a sync flush), that continue the object's deflate stream.
     *
     * @param crc32 the CRC-32 of the content
     * @param length the content's length in bytes
     */
    public record Deflated(int crc32, int length) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchChunk other && index == other.index && last == other.last
                && batch.equals(other.batch) && Arrays.equals(bytes, other.bytes) && Objects.equals(deflated, other.deflated);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batch, index, last, Arrays.hashCode(bytes), deflated);
    }

    @Override
    public String toString() {
        return "chunk " + index + (last ? " (last)" : "") + " of " + batch + ", " + bytes.length + " bytes"
                + (deflated == null ? "" : " deflated from " + deflated.length());
    }
}
