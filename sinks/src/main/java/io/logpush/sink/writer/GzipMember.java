package io.logpush.sink.writer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes one gzip member (RFC 1952) at a time to a stream it does not own, reusing its deflater
 * and buffer from object to object. {@link java.util.zip.GZIPOutputStream} makes a new deflater
 * per stream (a native allocation of about 256 KiB, freed only by the garbage collector unless the
 * stream is closed, which ours are not: the file system closes them for commit); with many small
 * objects that dominated the cost of an object.
 */
final class GzipMember extends OutputStream {

    /** Magic, deflate, no flags, no time, no extra flags, unknown OS. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[64 << 10];
    private OutputStream target;

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

    /** Compresses what is left and writes the trailer; the target stays open and this is free again. */
    void finish() throws IOException {
        deflater.finish();
        while (!deflater.finished()) {
            drain();
        }
        long size = deflater.getBytesRead();
        int checksum = (int) crc.getValue();
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
