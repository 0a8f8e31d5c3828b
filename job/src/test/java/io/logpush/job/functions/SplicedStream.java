package io.logpush.job.functions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Joins a batch's content and its pieces deflated ahead into one raw-deflate stream, as the sink's
 * gzip writer does (content deflated without looking back, sync-flushed; pieces as they are), and
 * inflates it: a piece that refers back to content not just before it inflates wrong or fails.
 */
final class SplicedStream {

    private final ByteArrayOutputStream stream = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[1 << 16];
    private int deflatedPieces;

    void content(byte[] bytes, int offset, int length) {
        Deflater deflater = new Deflater(6, true);
        deflater.setInput(bytes, offset, length);
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            stream.write(buffer, 0, n);
        } while (n == buffer.length);
        deflater.end();
    }

    void deflated(byte[] bytes, int offset, int length) {
        stream.write(bytes, offset, length);
        deflatedPieces++;
    }

    int deflatedPieces() {
        return deflatedPieces;
    }

    String inflate() throws DataFormatException {
        stream.write(new byte[] {0x03, 0x00}, 0, 2); // an empty final block
        Inflater inflater = new Inflater(true);
        inflater.setInput(stream.toByteArray());
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && inflater.needsInput()) {
                throw new AssertionError("the stream ended before its final block");
            }
            content.write(buffer, 0, n);
        }
        inflater.end();
        return content.toString(StandardCharsets.UTF_8);
    }
}
