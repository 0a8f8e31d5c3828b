package io.logpush.sink.writer;

import io.logpush.sink.BlockDeflater;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes one gzip member (RFC 1952) at a time to a stream it does not own, reusing its deflater
 * and buffer from object to object. Content compressed ahead by a {@link BlockDeflater} is spliced
 * into the member's deflate stream as it is ({@link #writeDeflated}). {@link java.util.zip.GZIPOutputStream} makes a new deflater
 * per stream (a native allocation of about 256 KiB, freed only by the garbage collector unless the
 * stream is closed, which ours are not: the file system closes them for commit); with many small
 * objects that dominated the cost of an object.
 */
final class GzipMember extends OutputStream {

    /** Magic, deflate, no flags, no time, no extra flags, unknown OS. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    /** The CRC-32 of the content given to the deflater since its last reset. */
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[64 << 10];
    private OutputStream target;
    /** The CRC-32 and length of the member's content before the deflater's last reset. */
    private int splicedCrc;
    private long splicedLength;

    /** @param level the deflate level, 1 (fastest) to 9 (smallest) */
    GzipMember(int level) {
        this.deflater = new Deflater(level, true);
    }

    /** Starts a member on {@code target}. */
    GzipMember start(OutputStream target) throws IOException {
        if (this.target != null) {
            throw new IllegalStateException("a gzip member is already being written");
        }
        this.target = target;
        deflater.reset();
        crc.reset();
        splicedCrc = 0;
        splicedLength = 0;
        target.write(HEADER);
        return this;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        crc.update(bytes, offset, length);
        deflater.setInput(bytes, offset, length);
        while (!deflater.needsInput()) {
            drain();
        }
    }

    /**
     * Appends blocks deflated ahead ({@link BlockDeflater}): ends what the deflater holds on a byte
     * boundary, writes the blocks as they are, and resets the deflater, whose window must not refer
     * back across content it did not see.
     */
    void writeDeflated(byte[] blocks, int crc32, int length) throws IOException {
        if (deflater.getBytesRead() > 0) {
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                target.write(buffer, 0, n);
            } while (n == buffer.length);
        }
        splice();
        target.write(blocks);
        splicedCrc = Crc32Combine.combine(splicedCrc, crc32, length);
        splicedLength += length;
    }

    /** Folds the deflater's content so far into the spliced totals and resets it. */
    private void splice() {
        splicedCrc = Crc32Combine.combine(splicedCrc, (int) crc.getValue(), deflater.getBytesRead());
        splicedLength += deflater.getBytesRead();
        deflater.reset();
        crc.reset();
    }

    /** Compresses what is left and writes the trailer; the target stays open and this is free again. */
    void finish() throws IOException {
        deflater.finish();
        while (!deflater.finished()) {
            drain();
        }
        long size = splicedLength + deflater.getBytesRead();
        int checksum = Crc32Combine.combine(splicedCrc, (int) crc.getValue(), deflater.getBytesRead());
        target.write(new byte[] {(byte) checksum, (byte) (checksum >> 8), (byte) (checksum >> 16), (byte) (checksum >> 24),
                (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
        target = null;
    }

    /** Forgets an unfinished member (its object is discarded). */
    void abandon() {
        target = null;
    }

    /** Frees the deflater's native memory; the member cannot be used afterwards. */
    @Override
    public void close() {
        deflater.end();
    }

    private void drain() throws IOException {
        int n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH);
        if (n > 0) {
            target.write(buffer, 0, n);
        }
    }
}
