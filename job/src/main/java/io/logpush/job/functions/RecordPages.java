package io.logpush.job.functions;

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
 * <p>The heap holds at most {@code budgetBytes} of pages, whatever the number of jobs or the size
 * of their batches. Without a key context (a buffer run outside {@link JobBufferOperator}) the
 * budget is zero: every record is written at once, as a page of its own.
 */
final class RecordPages {

    /** Bytes before each record in a page: its event time and its length. */
    static final int RECORD_HEADER = Long.BYTES + Integer.BYTES;
    /** What a page costs the heap besides its bytes (map entry, boxed key, page, array header), counted against the budget. */
    static final int PAGE_OVERHEAD = 96;

    private final MapState<Long, byte[]> state;
    private final KeyContext keys;
    private final int pageBytes;
    private final long budgetBytes;
    /** The jobs' pages not written yet, least recently appended to first. */
    private final LinkedHashMap<Long, Page> open = new LinkedHashMap<>(16, 0.75f, true);
    private long heapBytes;

    /**
     * @param state the pages, keyed by job (the current key) and first record index
     * @param keys switches the state's current key to write another job's page; null: no heap pages
     * @param pageBytes a page's size on the heap before it is written (a larger record gets a page of its own)
     * @param budgetBytes the most the heap holds of all jobs' pages
     */
    RecordPages(MapState<Long, byte[]> state, KeyContext keys, int pageBytes, long budgetBytes) {
        this.state = state;
        this.keys = keys;
        this.pageBytes = pageBytes;
        this.budgetBytes = keys == null ? 0 : budgetBytes;
    }

    /** Appends the current job's record number {@code index} (0, 1, 2, ... per batch). */
    void append(long job, long index, long eventTime, byte[] record) throws Exception {
        int needed = RECORD_HEADER + record.length;
        Page page = open.get(job);
        if (page != null && page.size + needed > pageBytes && page.size > 0) {
            write(page);
            page.restart(index);
        }
        if (page == null) {
            page = new Page(index, needed); // the first record's size: with many jobs, most batches hold one or two
            open.put(job, page);
            heapBytes += page.footprint();
        }
        heapBytes += page.ensure(needed, pageBytes);
        page.add(eventTime, record);
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
                write(entry.getValue());
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
                state.remove(read.storedKeys[i]); // a point delete each: cheaper than the scan clear() makes
            }
        } else {
            state.clear();
        }
    }

    private void write(Page page) throws Exception {
        if (page.size > 0) {
            state.put(page.first, page.copy());
        }
    }

    private void writeUnderKey(long job, Page page) throws Exception {
        CachedValueState.underKey(keys, job, () -> write(page));
    }

    /** Reads records 0, 1, 2, ... of a batch: the pages in state, then the one on the heap. */
    final class Reader {
        private final Page heap;
        private final long count;
        /** Records before this index are in state. */
        private final long stored;
        /** Records read so far: the index of the next one, and the key of the next page when a page ends. */
        private long read;
        /** The keys of the pages read from state. */
        private long[] storedKeys = new long[4];
        private int storedPages;
        private ByteBuffer page;
        private byte[] array;
        private long eventTime;
        private int offset;
        private int length;

        private Reader(Page heap, long count) {
            this.heap = heap;
            this.count = count;
            this.stored = heap == null ? count : heap.first;
        }

        /** Moves to the next record; the batch has {@code count} of them. */
        void next() throws Exception {
            if (page == null || !page.hasRemaining()) { // pages are never empty
                if (read < stored) {
                    byte[] bytes = state.get(read);
                    if (bytes == null) {
                        throw new IllegalStateException("the page of record " + read + " of " + count + " is missing");
                    }
                    page = ByteBuffer.wrap(bytes);
                    if (storedPages == storedKeys.length) {
                        storedKeys = Arrays.copyOf(storedKeys, 2 * storedPages);
                    }
                    storedKeys[storedPages++] = read;
                } else if (heap != null && read == stored) {
                    page = ByteBuffer.wrap(heap.bytes, 0, heap.size);
                } else {
                    throw new IllegalStateException("the pages hold " + read + " records, the batch " + count);
                }
            }
            read++;
            array = page.array();
            eventTime = page.getLong();
            length = page.getInt();
            offset = page.position();
            page.position(offset + length);
        }

        long eventTime() {
            return eventTime;
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

    /** A job's page on the heap: its first record's index and the records appended since. */
    private static final class Page {
        long first;
        byte[] bytes;
        int size;

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

        void add(long eventTime, byte[] record) {
            ByteBuffer.wrap(bytes, size, RECORD_HEADER).putLong(eventTime).putInt(record.length);
            System.arraycopy(record, 0, bytes, size + RECORD_HEADER, record.length);
            size += RECORD_HEADER + record.length;
        }

        /** What the page costs the heap budget. */
        long footprint() {
            return PAGE_OVERHEAD + bytes.length;
        }

        /** The page's records, in an array of their own: a heap state backend keeps what it is given. */
        byte[] copy() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
