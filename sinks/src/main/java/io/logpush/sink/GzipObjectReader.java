package io.logpush.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a gzip object as the strictest readers do: one member, its checksum and length checked,
 * and nothing after it. {@link java.util.zip.GZIPInputStream} and gunzip read on into further
 * members, but Python's {@code zlib.decompress(data, 31)} and Rust flate2's {@code GzDecoder} stop
 * after the first, so an object of several members would lose records there. The sink writes each
 * object as one member; the tests and {@code logpush verify} read them with this to hold it to that.
 */
public final class GzipObjectReader {

    /** The header the sink writes: magic, deflate, no flags, no time, no extra fields. */
    private static final int GZIP_HEADER = 10;
    /** CRC-32 and length. */
    private static final int GZIP_TRAILER = 8;

    private GzipObjectReader() {}

    /** The content of {@code gzip}, one member with a plain header; an {@link IOException} says what else it is. */
    public static byte[] read(byte[] gzip) throws IOException {
        if (gzip.length < GZIP_HEADER + GZIP_TRAILER || (gzip[0] & 0xff) != 0x1f || (gzip[1] & 0xff) != 0x8b || gzip[2] != 8
                || gzip[3] != 0) {
            throw new IOException("not a gzip member with a plain 10-byte header (" + gzip.length + " bytes)");
        }
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            inflater.setInput(gzip, GZIP_HEADER, gzip.length - GZIP_HEADER);
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("the deflate stream ends before its final block");
                }
                out.write(buffer, 0, n);
            }
            if (inflater.getRemaining() < GZIP_TRAILER) {
                throw new IOException("the trailer is cut short: " + inflater.getRemaining() + " of " + GZIP_TRAILER + " bytes");
            }
            if (inflater.getRemaining() > GZIP_TRAILER) {
                throw new IOException((inflater.getRemaining() - GZIP_TRAILER) + " bytes after the first member's trailer:"
                        + " a reader of one member would stop there");
            }
        } catch (DataFormatException e) {
            throw new IOException("a corrupt deflate stream", e);
        } finally {
            inflater.end();
        }
        byte[] content = out.toByteArray();
        ByteBuffer trailer = ByteBuffer.wrap(gzip, gzip.length - GZIP_TRAILER, GZIP_TRAILER).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(content);
        if (trailer.getInt() != (int) crc.getValue() || trailer.getInt() != content.length) {
            throw new IOException("the trailer's CRC-32 or length does not match the content");
        }
        return content;
    }
}
