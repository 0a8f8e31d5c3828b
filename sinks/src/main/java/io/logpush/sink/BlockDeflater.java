package io.logpush.sink;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a piece of an object's content ahead of the sink, for a {@link BatchChunk} with
 * {@link BatchChunk.Deflated} set: raw-deflate blocks ended by a sync flush, which the sink's gzip
 * writer splices into the object's one deflate stream as they are. Given the content just before
 * the piece (up to the 32 KiB window) as a dictionary, the blocks refer back into it, so a stream
 * cut into pieces of 32 KiB compresses within about 2% of one compressed whole.
 *
 * <p>Reuses one native deflater from piece to piece; not thread-safe.
 */
public final class BlockDeflater implements AutoCloseable {

    /** The farthest a deflate block refers back: what a dictionary can usefully hold. */
    public static final int WINDOW_BYTES = 32 * 1024;

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private byte[] blocks = new byte[16 * 1024];
    private int blocksLength;
    private int crc32;

    /** @param level the sink's deflate level, 1 to 9 */
    public BlockDeflater(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("the deflate level must be 1 to 9, not " + level);
        }
        this.deflater = new Deflater(level, true);
    }

    /**
     * Deflates {@code length} bytes of content into {@link #blocks()}.
     *
     * @param dictionary the object's content right before this piece (its last bytes), or
     *     {@code dictionaryLength} 0 if the piece may follow anything
     */
    public void deflate(byte[] content, int offset, int length, byte[] dictionary, int dictionaryOffset, int dictionaryLength) {
        if (dictionaryLength > WINDOW_BYTES) {
            throw new IllegalArgumentException("a dictionary of more than " + WINDOW_BYTES + " bytes: " + dictionaryLength);
        }
        deflater.reset();
        if (dictionaryLength > 0) {
            deflater.setDictionary(dictionary, dictionaryOffset, dictionaryLength);
        }
        deflater.setInput(content, offset, length);
        blocksLength = 0;
        int n;
        do {
            if (blocksLength == blocks.length) {
                blocks = Arrays.copyOf(blocks, 2 * blocks.length);
            }
            n = deflater.deflate(blocks, blocksLength, blocks.length - blocksLength, Deflater.SYNC_FLUSH);
            blocksLength += n;
        } while (blocksLength == blocks.length); // a full buffer may hold back more output
        crc.reset();
        crc.update(content, offset, length);
        crc32 = (int) crc.getValue();
    }

    /** The blocks of the last piece deflated: the first {@link #blocksLength()} bytes, valid until the next piece. */
    public byte[] blocks() {
        return blocks;
    }

    public int blocksLength() {
        return blocksLength;
    }

    /** The CRC-32 of the last piece's content. */
    public int crc32() {
        return crc32;
    }

    /** Frees the native deflater. */
    @Override
    public void close() {
        deflater.end();
    }
}
