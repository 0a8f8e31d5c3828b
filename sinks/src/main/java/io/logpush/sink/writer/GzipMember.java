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
    /** CRC-32 and length of the content, little-endian. */
    private static final int TRAILER_BYTES = 8;

    private final Deflater deflater;
    /** The CRC-32 of the content given to the deflater since its last reset. */
    private final CRC32 crc = new CRC32();
    /**
     * The member's bytes not yet written to the target: the target may be a file written unbuffered,
     * and a small object then costs one write call, not one each for its header, blocks and trailer.
     */
    private final byte[] buffer = new byte[64 << 10];
    private int pending;
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
        System.arraycopy(HEADER, 0, buffer, 0, HEADER.length);
        pending = HEADER.length;
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
            // Until a call leaves room in the buffer: then the deflater holds nothing more.
            while (deflate(Deflater.SYNC_FLUSH)) {
                writePending();
            }
        }
        splice();
        if (blocks.length > buffer.length - pending) {
            writePending();
            target.write(blocks);
        } else {
            System.arraycopy(blocks, 0, buffer, pending, blocks.length);
            pending += blocks.length;
        }
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
        if (buffer.length - pending < TRAILER_BYTES) {
            writePending();
        }
        long size = splicedLength + deflater.getBytesRead();
        int checksum = Crc32Combine.combine(splicedCrc, (int) crc.getValue(), deflater.getBytesRead());
        for (int i = 0; i < 4; i++) {
            buffer[pending + i] = (byte) (checksum >> 8 * i);
            buffer[pending + 4 + i] = (byte) (size >> 8 * i);
        }
        pending += TRAILER_BYTES;
        writePending();
        target = null;
    }

    /** Forgets an unfinished member (its object is discarded). */
    void abandon() {
        pending = 0;
        target = null;
    }

    /** Frees the deflater's native memory; the member cannot be used afterwards. */
    @Override
    public void close() {
        deflater.end();
    }

    private void drain() throws IOException {
        if (deflate(Deflater.NO_FLUSH)) {
            writePending();
        }
    }

    /** Deflates into the buffer's free room; true if it filled it. */
    private boolean deflate(int flush) {
        pending += deflater.deflate(buffer, pending, buffer.length - pending, flush);
        return pending == buffer.length;
    }

    private void writePending() throws IOException {
        target.write(buffer, 0, pending);
        pending = 0;
    }
}
