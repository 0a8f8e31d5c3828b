package io.logpush.job.functions;

import io.logpush.sink.BatchChunk;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates pages that went to state deflated, for a sink that takes content only: a buffer
 * restored from a checkpoint taken while the sink wrote gzip, after the sink's compression was
 * switched off. A page may refer back into the page before it (its dictionary), so pages are
 * inflated in order and the last one's end is kept.
 */
final class PageInflater implements AutoCloseable {

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private byte[] content = new byte[0];
    /** The end of the last page inflated: the next page's dictionary, if it follows that page. */
    private final byte[] previous = new byte[RecordPages.DICTIONARY_BYTES];
    private int previousLength;

    /**
     * Inflates one page into {@link #content()} (its first {@code deflated.length()} bytes).
     *
     * @param followsLast whether the page comes right after the last page inflated, in the same batch
     */
    void inflate(byte[] blocks, int offset, int length, BatchChunk.Deflated deflated, boolean followsLast)
            throws DataFormatException {
        inflater.reset();
        if (followsLast && previousLength > 0) {
            inflater.setDictionary(previous, 0, previousLength);
        }
        inflater.setInput(blocks, offset, length);
        if (content.length < deflated.length()) {
            content = new byte[deflated.length()];
        }
        int inflated = 0;
        while (inflated < deflated.length()) {
            int n = inflater.inflate(content, inflated, deflated.length() - inflated);
            if (n == 0 && (inflater.needsInput() || inflater.needsDictionary() || inflater.finished())) {
                break;
            }
            inflated += n;
        }
        crc.reset();
        crc.update(content, 0, inflated);
        if (inflated != deflated.length() || (int) crc.getValue() != deflated.crc32()) {
            throw new IllegalStateException("a deflated page inflated to " + inflated + " bytes with CRC-32 "
                    + Integer.toHexString((int) crc.getValue()) + ", not " + deflated.length() + " with "
                    + Integer.toHexString(deflated.crc32()));
        }
        previousLength = Math.min(previous.length, inflated);
        System.arraycopy(content, inflated - previousLength, previous, 0, previousLength);
    }

    /** The last page's content, its first {@code deflated.length()} bytes. */
    byte[] content() {
        return content;
    }

    @Override
    public void close() {
        inflater.end();
    }
}
