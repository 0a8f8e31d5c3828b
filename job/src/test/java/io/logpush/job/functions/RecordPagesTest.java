package io.logpush.job.functions;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPagesTest {

    /** A keyed map state on maps, with the key context that switches its current key. */
    private static final class KeyedMapState implements MapState<Long, byte[]>, KeyContext {
        final Map<Long, TreeMap<Long, byte[]>> values = new HashMap<>();
        long currentKey;

        private TreeMap<Long, byte[]> current() {
            return values.computeIfAbsent(currentKey, k -> new TreeMap<>());
        }

        /** The page entries a job has in state. */
        int pages(long job) {
            return values.getOrDefault(job, new TreeMap<>()).size();
        }

        @Override
        public byte[] get(Long key) {
            return current().get(key);
        }

        @Override
        public void put(Long key, byte[] value) {
            current().put(key, value);
        }

        @Override
        public void putAll(Map<Long, byte[]> map) {
            current().putAll(map);
        }

        @Override
        public void remove(Long key) {
            current().remove(key);
        }

        @Override
        public boolean contains(Long key) {
            return current().containsKey(key);
        }

        @Override
        public Iterable<Map.Entry<Long, byte[]>> entries() {
            return current().entrySet();
        }

        @Override
        public Iterable<Long> keys() {
            return current().keySet();
        }

        @Override
        public Iterable<byte[]> values() {
            return current().values();
        }

        @Override
        public Iterator<Map.Entry<Long, byte[]>> iterator() {
            return current().entrySet().iterator();
        }

        @Override
        public boolean isEmpty() {
            return current().isEmpty();
        }

        @Override
        public void clear() {
            values.remove(currentKey);
        }

        @Override
        public void setCurrentKey(Object key) {
            currentKey = (Long) key;
        }

        @Override
        public Object getCurrentKey() {
            return currentKey;
        }
    }

    private final KeyedMapState state = new KeyedMapState();
    /** 64-byte pages, a heap budget of four full pages. */
    private static final long BUDGET = 4 * (RecordPages.PAGE_OVERHEAD + 64);
    private final RecordPages pages = new RecordPages(state, state, 64, BUDGET);
    private final Map<Long, Long> counts = new HashMap<>();

    private void append(RecordPages to, long job, String record) throws Exception {
        state.currentKey = job;
        long index = counts.getOrDefault(job, 0L);
        to.append(job, index, 1_000 + index, record.getBytes(StandardCharsets.UTF_8));
        counts.put(job, index + 1);
    }

    private List<String> read(RecordPages from, long job) throws Exception {
        state.currentKey = job;
        long count = counts.getOrDefault(job, 0L);
        RecordPages.Reader reader = from.read(job, count);
        List<String> records = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            reader.next();
            assertThat(reader.eventTime()).as("record %d's event time", i).isEqualTo(1_000 + i);
            records.add(new String(reader.array(), reader.offset(), reader.length(), StandardCharsets.UTF_8));
        }
        return records;
    }

    private static List<String> numbered(String prefix, int n) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(prefix + i);
        }
        return records;
    }

    @Test
    void fullPagesAreWrittenAndTheBatchReadsBackInOrderFromStateAndHeap() throws Exception {
        // 12-byte header + 10-byte record: two records fill a 64-byte page, the third starts the next.
        for (String record : numbered("record-00", 7)) {
            append(pages, 1, record);
        }
        assertThat(state.pages(1)).as("three full pages written, the fourth on the heap").isEqualTo(3);
        assertThat(read(pages, 1)).containsExactlyElementsOf(numbered("record-00", 7));
    }

    @Test
    void theLeastRecentlyAppendedJobsPagesMakeRoomUnderTheirOwnKey() throws Exception {
        String first = "a".repeat(40); // 52 bytes with its header: a page each, and four of them fit the budget
        RecordPages budgeted = new RecordPages(state, state, 128, 4 * (RecordPages.PAGE_OVERHEAD + 52));
        for (long job = 1; job <= 4; job++) {
            append(budgeted, job, first);
        }
        assertThat(state.values).isEmpty();
        append(budgeted, 1, "b"); // job 1's page doubles, past the budget: job 2, appended to least recently, makes room
        assertThat(state.values.keySet()).containsExactly(2L);
        assertThat(state.pages(2)).isEqualTo(1);
        assertThat(state.currentKey).as("the current key is restored").isEqualTo(1L);
        for (long job = 1; job <= 4; job++) {
            assertThat(read(budgeted, job)).as("job %d", job).containsExactlyElementsOf(job == 1 ? List.of(first, "b") : List.of(first));
        }
    }

    @Test
    void aFlushWritesEveryPageSoThatAFreshInstanceReadsAndAppendsFromState() throws Exception {
        for (String record : numbered("r", 3)) {
            append(pages, 1, record);
            append(pages, 2, record);
        }
        state.currentKey = 9;
        pages.flush();
        assertThat(state.currentKey).isEqualTo(9L);
        assertThat(state.pages(1)).isEqualTo(1);
        assertThat(state.pages(2)).isEqualTo(1);

        RecordPages restored = new RecordPages(state, state, 64, BUDGET); // as after a restore: nothing on the heap
        append(restored, 1, "r3");
        assertThat(read(restored, 1)).containsExactly("r0", "r1", "r2", "r3");
        assertThat(read(restored, 2)).containsExactly("r0", "r1", "r2");
    }

    @Test
    void clearingABatchRemovesItsPagesFromStateAndHeap() throws Exception {
        for (String record : numbered("record-00", 5)) {
            append(pages, 1, record);
        }
        append(pages, 2, "kept");
        state.currentKey = 1;
        pages.clear(1, 5, null);
        counts.remove(1L);
        assertThat(state.pages(1)).isZero();
        append(pages, 1, "next");
        assertThat(read(pages, 1)).containsExactly("next");
        assertThat(read(pages, 2)).containsExactly("kept");
    }

    @Test
    void aBatchReadOutIsClearedByThePageKeysItsReaderSaw() throws Exception {
        for (String record : numbered("record-00", 5)) {
            append(pages, 1, record);
        }
        state.currentKey = 1;
        RecordPages.Reader reader = pages.read(1, 5);
        for (int i = 0; i < 5; i++) {
            reader.next();
        }
        state.put(99L, new byte[0]); // not a page of the batch: only a scan would remove it
        pages.clear(1, 5, reader);
        assertThat(state.values.get(1L).keySet()).as("the batch's pages went, by key").containsExactly(99L);
    }

    @Test
    void aRecordLargerThanAPageGetsAPageOfItsOwn() throws Exception {
        String large = "x".repeat(500);
        append(pages, 1, "small");
        append(pages, 1, large);
        append(pages, 1, "after");
        assertThat(read(pages, 1)).containsExactly("small", large, "after");
        assertThat(state.pages(1)).as("the small page and the large one").isEqualTo(2);
    }

    @Test
    void withoutAKeyContextEveryRecordIsWrittenAtOnce() throws Exception {
        RecordPages direct = new RecordPages(state, null, 64, BUDGET);
        for (String record : numbered("r", 3)) {
            append(direct, 1, record);
        }
        assertThat(state.pages(1)).isEqualTo(3);
        assertThat(read(direct, 1)).containsExactly("r0", "r1", "r2");
    }
}
