package io.logpush.job.functions;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BlockDeflater;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.operators.KeyContext;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open batches' records, stored as pages of many records each: a keyed {@code MapState} entry
 * per page (keyed by the index of its first record) instead of one per record, so that buffering,
 * reading back and clearing a batch cost a few state operations per page rather than per record.
 * A page of record {@code (event time, length, bytes)} entries fills on the heap and is written
 * when it reaches {@code pageBytes}, when the heap budget needs its room (least recently appended
 * first, written under its own job's key), and before every snapshot ({@link #flush()}). A batch
 * that closes before any of these never touches the state at all.
 *
 * <p>A page of framed records (their config known) goes to state deflated, at the sink's level, as
 * the object will hold it: its records with their delimiters, in blocks that the sink splices into
 * the object ({@link BlockDeflater}). Its state entry is then a sixth to a tenth of the records'
 * size, and its records are not compressed again at close. A page that follows a deflated page of
 * the same batch uses that page's last {@link #DICTIONARY_BYTES} as its dictionary: pages of 32 KiB
 * then compress within about 2% of one stream, whatever their size. A page without one (the
 * batch's first) is deflated only when at least three quarters full: alone, a 32 KiB piece
 * compresses 9% worse than in its stream, an 8 KiB piece 29% worse. Pages of records held for their
 * config (framing unknown) and smaller pages are written as they are, and compressed at close.
 *
 * <p>The heap holds at most {@code budgetBytes} of pages, whatever the number of jobs or the size
 * of their batches. Without a key context (a buffer run outside {@link JobBufferOperator}) the
 * budget is zero: every record is written at once, as a page of its own.
 */
final class RecordPages implements AutoCloseable {

    /** Bytes before each record in a page: its event time and its length. */
    static final int RECORD_HEADER = Long.BYTES + Integer.BYTES;
    /** What a page costs the heap besides its bytes (map entry, boxed key, page, array header), counted against the budget. */
    static final int PAGE_OVERHEAD = 96;
    /** How much of a deflated page the next page of its batch keeps as its dictionary (+2% bytes at level 6 against one stream; none: +9%). */
    static final int DICTIONARY_BYTES = 8 * 1024;
    /** The format of deflated pages this version writes, their first byte. */
    static final byte DEFLATED_FORMAT = 1;
    /** Bytes before a deflated page's blocks: its format, records, content length, CRC-32, first and last event time. */
    static final int DEFLATED_HEADER = 1 + 3 * Integer.BYTES + 2 * Long.BYTES;

    private final MapState<Long, byte[]> state;
    /** Deflated pages, keyed like {@link #state}. */
    private final MapState<Long, byte[]> deflated;
    /** Null: every page is written as it is. */
    private final BlockDeflater deflater;
    /** A page's records framed, as the deflater's input. */
    private byte[] framed = new byte[0];
    private final KeyContext keys;
    private final int pageBytes;
    private final long budgetBytes;
    /** The jobs' pages not written yet, least recently appended to first. */
    private final LinkedHashMap<Long, Page> open = new LinkedHashMap<>(16, 0.75f, true);
    private long heapBytes;

    /**
     * @param state the pages, keyed by job (the current key) and first record index
     * @param deflated the deflated pages, keyed the same way
     * @param keys switches the state's current key to write another job's page; null: no heap pages
     * @param pageBytes a page's size on the heap before it is written (a larger record gets a page of its own)
     * @param budgetBytes the most the heap holds of all jobs' pages
     * @param deflateLevel the sink's deflate level, 0 if it takes no deflated chunks (pages are written as they are)
     */
    RecordPages(MapState<Long, byte[]> state, MapState<Long, byte[]> deflated, KeyContext keys, int pageBytes,
                long budgetBytes, int deflateLevel) {
        this.state = state;
        this.deflated = deflated;
        this.deflater = deflateLevel == 0 ? null : new BlockDeflater(deflateLevel);
        this.keys = keys;
        this.pageBytes = pageBytes;
        this.budgetBytes = keys == null ? 0 : budgetBytes;
    }

    /**
     * Appends the current job's record number {@code index} (0, 1, 2, ... per batch).
     *
     * @param delimiter what goes between the batch's records, null while the record waits for its config
     */
    void append(long job, long index, long eventTime, byte[] record, byte[] delimiter) throws Exception {
        int needed = RECORD_HEADER + record.length;
        Page page = open.get(job);
        if (page != null && page.size + needed > pageBytes && page.size > 0) {
            long before = page.footprint();
            write(page, true);
            page.restart(index);
            heapBytes += page.footprint() - before;
        }
        if (page == null) {
            page = new Page(index, needed); // the first record's size: with many jobs, most batches hold one or two
            open.put(job, page);
            heapBytes += page.footprint();
        }
        heapBytes += page.ensure(needed, pageBytes);
        page.add(eventTime, record, delimiter);
        if (heapBytes > budgetBytes) {
            evict(job);
        }
    }

    /** Writes pages, least recently appended first, until the heap is within its budget. */
    private void evict(long current) throws Exception {
        Iterator<Map.Entry<Long, Page>> eldest = open.entrySet().iterator();
        while (heapBytes > budgetBytes && eldest.hasNext()) {
            Map.Entry<Long, Page> entry = eldest.next();
            if (entry.getKey() == current) {
                write(entry.getValue(), false);
            } else {
                writeUnderKey(entry.getKey(), entry.getValue());
            }
            heapBytes -= entry.getValue().footprint();
            eldest.remove();
        }
    }

    /** Writes every page on the heap to state (before a snapshot); the current key is the same afterwards. */
    void flush() throws Exception {
        for (Map.Entry<Long, Page> entry : open.entrySet()) {
            writeUnderKey(entry.getKey(), entry.getValue());
        }
        open.clear();
        heapBytes = 0;
    }

    /** Reads the current job's {@code count} records back in order. */
    Reader read(long job, long count) {
        return new Reader(open.get(job), count);
    }

    /**
     * Removes the current job's records.
     *
     * @param read a reader that read the whole batch, so it knows the keys of its pages in state; or null
     */
    void clear(long job, long count, Reader read) throws Exception {
        Page page = open.remove(job);
        if (page != null) {
            heapBytes -= page.footprint();
        }
        if ((page == null ? count : page.first) == 0) {
            return;
        }
        if (read != null && read.read >= read.stored) {
            for (int i = 0; i < read.storedPages; i++) {
                long key = read.storedKeys[i];
                if (key < 0) {
                    deflated.remove(~key); // a point delete each: cheaper than the scan clear() makes
                } else {
                    state.remove(key);
                }
            }
        } else {
            state.clear();
            deflated.clear();
        }
    }

    /** @param next whether the job's next page follows on the heap, and may use this one as its dictionary */
    private void write(Page page, boolean next) throws Exception {
        if (page.size == 0) {
            return;
        }
        if (deflater != null && page.delimiter != null
                && (page.dictionaryLength > 0 || page.size >= pageBytes / 4 * 3)) {
            deflated.put(page.first, deflate(page, next));
        } else {
            state.put(page.first, page.copy());
            page.dictionaryLength = 0;
        }
    }

    /** The page's records framed and deflated, after a header ({@link #DEFLATED_HEADER}). */
    private byte[] deflate(Page page, boolean next) {
        int bound = page.size + page.delimiter.length * (page.size / RECORD_HEADER); // a header per record at least
        if (framed.length < bound) {
            framed = new byte[bound];
        }
        ByteBuffer records = ByteBuffer.wrap(page.bytes, 0, page.size);
        int length = 0;
        int count = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long index = page.first; records.hasRemaining(); index++, count++) {
            long eventTime = records.getLong();
            int recordLength = records.getInt();
            if (index > 0) {
                System.arraycopy(page.delimiter, 0, framed, length, page.delimiter.length);
                length += page.delimiter.length;
            }
            System.arraycopy(page.bytes, records.position(), framed, length, recordLength);
            length += recordLength;
            records.position(records.position() + recordLength);
            first = Math.min(first, eventTime);
            last = Math.max(last, eventTime);
        }
        deflater.deflate(framed, 0, length, page.dictionary, 0, page.dictionaryLength);
        byte[] value = new byte[DEFLATED_HEADER + deflater.blocksLength()];
        ByteBuffer.wrap(value).put(DEFLATED_FORMAT).putInt(count).putInt(length).putInt(deflater.crc32()).putLong(first).putLong(last)
                .put(deflater.blocks(), 0, deflater.blocksLength());
        page.keepDictionary(next ? framed : null, length);
        return value;
    }

    private void writeUnderKey(long job, Page page) throws Exception {
        CachedValueState.underKey(keys, job, () -> write(page, false));
    }

    /** Frees the deflater. */
    @Override
    public void close() {
        if (deflater != null) {
            deflater.close();
        }
    }

    /**
     * Reads records 0, 1, 2, ... of a batch: the pages in state, then the one on the heap. A
     * deflated page is read as one piece that holds {@link #records()} records.
     */
    final class Reader {
        private final Page heap;
        private final long count;
        /** Records before this index are in state. */
        private final long stored;
        /** Records read so far: the index of the next one, and the key of the next page when a page ends. */
        private long read;
        /** The keys of the pages read from state, those of deflated pages as {@code ~key}. */
        private long[] storedKeys = new long[4];
        private int storedPages;
        /** Whether the last page read from state was deflated: the next lookup tries that map first. */
        private boolean lastDeflated;
        private ByteBuffer page;
        private byte[] array;
        private int offset;
        private int length;
        private int records;
        private long firstEventTime;
        private long lastEventTime;
        /** Set while the current piece is a deflated page. */
        private BatchChunk.Deflated deflatedAs;

        private Reader(Page heap, long count) {
            this.heap = heap;
            this.count = count;
            this.stored = heap == null ? count : heap.first;
        }

        /** Moves to the next record, or deflated page; the batch has {@code count} records. */
        void next() throws Exception {
            if (page == null || !page.hasRemaining()) { // pages are never empty
                if (read < stored) {
                    page = ByteBuffer.wrap(stored());
                } else if (heap != null && read == stored) {
                    page = ByteBuffer.wrap(heap.bytes, 0, heap.size);
                    lastDeflated = false;
                } else {
                    throw new IllegalStateException("the pages hold " + read + " records, the batch " + count);
                }
                if (lastDeflated) {
                    if (page.get() != DEFLATED_FORMAT) {
                        throw new IllegalStateException("the deflated page of record " + read + " is in format "
                                + page.get(0) + ": this version reads format " + DEFLATED_FORMAT + " only");
                    }
                    records = page.getInt();
                    int contentLength = page.getInt();
                    deflatedAs = new BatchChunk.Deflated(page.getInt(), contentLength);
                    firstEventTime = page.getLong();
                    lastEventTime = page.getLong();
                    array = page.array();
                    offset = DEFLATED_HEADER;
                    length = array.length - DEFLATED_HEADER;
                    page.position(array.length);
                    read += records;
                    return;
                }
            }
            deflatedAs = null;
            records = 1;
            array = page.array();
            firstEventTime = page.getLong();
            lastEventTime = firstEventTime;
            length = page.getInt();
            offset = page.position();
            page.position(offset + length);
            read++;
        }

        /** The page at the next record's index, in whichever map holds it. */
        private byte[] stored() throws Exception {
            MapState<Long, byte[]> first = lastDeflated ? deflated : state;
            byte[] bytes = first.get(read);
            if (bytes == null) {
                lastDeflated = !lastDeflated;
                bytes = (lastDeflated ? deflated : state).get(read);
                if (bytes == null) {
                    throw new IllegalStateException("the page of record " + read + " of " + count + " is missing");
                }
            }
            if (storedPages == storedKeys.length) {
                storedKeys = Arrays.copyOf(storedKeys, 2 * storedPages);
            }
            storedKeys[storedPages++] = lastDeflated ? ~read : read;
            return bytes;
        }

        /** How many records the current piece holds: 1, or a deflated page's. */
        int records() {
            return records;
        }

        /** The current piece's content as deflated blocks ({@link #array()} from {@link #offset()}), or null for a record. */
        BatchChunk.Deflated deflated() {
            return deflatedAs;
        }

        /** The (earliest) event time of the current piece's records. */
        long eventTime() {
            return firstEventTime;
        }

        /** The latest event time of the current piece's records. */
        long lastEventTime() {
            return lastEventTime;
        }

        byte[] array() {
            return array;
        }

        int offset() {
            return offset;
        }

        int length() {
            return length;
        }
    }

    /**
     * A job's page on the heap: its first record's index and the records appended since; what goes
     * between them, if their config is known; and, after a deflated page of the same batch, that page's last bytes.
     */
    private static final class Page {
        long first;
        byte[] bytes;
        int size;
        /** Null if some record's framing is unknown (it waits for its config): the page is not deflated. */
        byte[] delimiter;
        byte[] dictionary;
        int dictionaryLength;

        Page(long first, int capacity) {
            this.first = first;
            this.bytes = new byte[capacity];
        }

        void restart(long first) {
            this.first = first;
            this.size = 0;
        }

        /** Grows the array to hold {@code needed} more bytes, doubling up to {@code pageBytes}; returns by how much. */
        int ensure(int needed, int pageBytes) {
            int before = bytes.length;
            if (size + needed > before) {
                bytes = Arrays.copyOf(bytes, Math.max(size + needed, Math.min(2 * before, pageBytes)));
            }
            return bytes.length - before;
        }

        void add(long eventTime, byte[] record, byte[] delimiter) {
            if (size == 0) {
                this.delimiter = delimiter;
            } else if (delimiter == null || !Arrays.equals(delimiter, this.delimiter)) {
                this.delimiter = null;
            }
            ByteBuffer.wrap(bytes, size, RECORD_HEADER).putLong(eventTime).putInt(record.length);
            System.arraycopy(record, 0, bytes, size + RECORD_HEADER, record.length);
            size += RECORD_HEADER + record.length;
        }

        /** Keeps the end of the content just deflated as the next page's dictionary; null: the next page has none. */
        void keepDictionary(byte[] content, int length) {
            if (content == null) {
                dictionaryLength = 0;
                return;
            }
            if (dictionary == null) {
                dictionary = new byte[DICTIONARY_BYTES];
            }
            dictionaryLength = Math.min(DICTIONARY_BYTES, length);
            System.arraycopy(content, length - dictionaryLength, dictionary, 0, dictionaryLength);
        }

        /** What the page costs the heap budget. */
        long footprint() {
            return PAGE_OVERHEAD + bytes.length + (dictionary == null ? 0 : dictionary.length);
        }

        /** The page's records, in an array of their own: a heap state backend keeps what it is given. */
        byte[] copy() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
