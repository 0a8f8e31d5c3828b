package io.logpush.job.functions;

import io.logpush.sink.BatchChunk;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPagesTest {

    /** A keyed map state on maps, with the key context that switches its current key (its own, or another state's). */
    private static final class KeyedMapState implements MapState<Long, byte[]>, KeyContext {
        final Map<Long, TreeMap<Long, byte[]>> values = new HashMap<>();
        private final KeyedMapState keys;
        long currentKey;

        KeyedMapState() {
            this.keys = this;
        }

        /** A second state of the same keyed backend: it follows {@code keys}' current key. */
        KeyedMapState(KeyedMapState keys) {
            this.keys = keys;
        }

        private TreeMap<Long, byte[]> current() {
            return values.computeIfAbsent(keys.currentKey, k -> new TreeMap<>());
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
            values.remove(keys.currentKey);
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
    private final KeyedMapState deflated = new KeyedMapState(state);
    /** 64-byte pages, a heap budget of four full pages. */
    private static final long BUDGET = 4 * (RecordPages.PAGE_OVERHEAD + 64);
    private final RecordPages pages = new RecordPages(state, deflated, state, 64, BUDGET, 0);
    private final Map<Long, Long> counts = new HashMap<>();
    private static final byte[] NEWLINE = {'\n'};

    private void append(RecordPages to, long job, String record) throws Exception {
        state.currentKey = job;
        long index = counts.getOrDefault(job, 0L);
        to.append(job, index, 1_000 + index, record.getBytes(StandardCharsets.UTF_8), NEWLINE);
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
        RecordPages budgeted = new RecordPages(state, deflated, state, 128, 4 * (RecordPages.PAGE_OVERHEAD + 52), 0);
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

        RecordPages restored = new RecordPages(state, deflated, state, 64, BUDGET, 0); // as after a restore: nothing on the heap
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
        RecordPages direct = new RecordPages(state, deflated, null, 64, BUDGET, 0);
        for (String record : numbered("r", 3)) {
            append(direct, 1, record);
        }
        assertThat(state.pages(1)).isEqualTo(3);
        assertThat(read(direct, 1)).containsExactly("r0", "r1", "r2");
    }

    /** Distinct log lines of about 120 bytes, as a job's encoded records look. */
    private static List<String> logLines(int n) {
        Random random = new Random(n);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("{\"RayID\":\"" + Long.toHexString(random.nextLong()) + "\",\"EdgeResponseStatus\":"
                    + (200 + random.nextInt(4) * 100) + ",\"ClientRequestPath\":\"/api/v" + random.nextInt(3) + "/item/"
                    + random.nextInt(100_000) + "\"}");
        }
        return lines;
    }

    /** Reads the job's batch as the sink would write it, and inflates it; counts the records of each deflated page. */
    private String readInflated(RecordPages from, long job, List<Integer> deflatedRecords) throws Exception {
        state.currentKey = job;
        long count = counts.get(job);
        RecordPages.Reader reader = from.read(job, count);
        SplicedStream stream = new SplicedStream();
        for (long i = 0; i < count; i += reader.records()) {
            reader.next();
            if (reader.deflated() != null) {
                deflatedRecords.add(reader.records());
                stream.deflated(reader.array(), reader.offset(), reader.length());
            } else {
                if (i > 0) {
                    stream.content(NEWLINE, 0, 1);
                }
                stream.content(reader.array(), reader.offset(), reader.length());
            }
        }
        return stream.inflate();
    }

    private static int size(KeyedMapState of, long job) {
        return of.values.getOrDefault(job, new TreeMap<>()).values().stream().mapToInt(value -> value.length).sum();
    }

    @Test
    void fullPagesOfFramedRecordsGoToStateDeflatedAndTheBatchInflatesToItsRecordsAndDelimiters() throws Exception {
        RecordPages deflating = new RecordPages(state, deflated, state, 16 * 1024, 1 << 20, 6);
        List<String> lines = logLines(520); // about 106 bytes each with its header: three full 16 KiB pages, the rest on the heap
        for (String line : lines) {
            append(deflating, 1, line);
        }
        assertThat(state.pages(1)).as("no page written as it is").isZero();
        assertThat(deflated.pages(1)).isEqualTo(3);
        int content = String.join("\n", lines).length();
        assertThat(size(deflated, 1)).as("deflated pages in state, against %d bytes of records", content).isLessThan(content / 3);

        List<Integer> deflatedRecords = new ArrayList<>();
        assertThat(readInflated(deflating, 1, deflatedRecords)).isEqualTo(String.join("\n", lines));
        assertThat(deflatedRecords).hasSize(3);

        state.currentKey = 1;
        RecordPages.Reader reader = deflating.read(1, lines.size());
        reader.next();
        assertThat(reader.records()).isEqualTo(deflatedRecords.get(0));
        assertThat(reader.eventTime()).as("the page's first event time").isEqualTo(1_000);
        assertThat(reader.lastEventTime()).isEqualTo(1_000 + reader.records() - 1);
        CRC32 crc = new CRC32();
        byte[] framed = String.join("\n", lines.subList(0, reader.records())).getBytes(StandardCharsets.UTF_8);
        crc.update(framed);
        assertThat(reader.deflated()).isEqualTo(new BatchChunk.Deflated((int) crc.getValue(), framed.length));
        for (long i = reader.records(); i < lines.size(); i += reader.records()) {
            reader.next();
        }
        deflating.clear(1, lines.size(), reader);
        assertThat(deflated.pages(1)).as("deflated pages cleared by key").isZero();
        deflating.close();
    }

    @Test
    void pagesOfRecordsWaitingForTheirConfigAndSmallPagesAreWrittenAsTheyAre() throws Exception {
        RecordPages deflating = new RecordPages(state, deflated, state, 16 * 1024, 1 << 20, 6);
        List<String> lines = logLines(520); // three full pages of about 154 records, 58 records on the heap
        state.currentKey = 1;
        for (int i = 0; i < lines.size(); i++) {
            deflating.append(1, i, 1_000 + i, lines.get(i).getBytes(StandardCharsets.UTF_8), i == 200 ? null : NEWLINE);
        }
        counts.put(1L, (long) lines.size());
        append(deflating, 2, lines.get(0));
        state.currentKey = 3;
        deflating.flush();
        assertThat(state.pages(1)).as("the page with the held record").isEqualTo(1);
        assertThat(deflated.pages(1)).as("the full pages before and after it, and the small last one, which follows a deflated page")
                .isEqualTo(3);
        assertThat(state.pages(2)).as("a small page").isEqualTo(1);
        assertThat(deflated.pages(2)).isZero();
        assertThat(read(deflating, 2)).containsExactly(lines.get(0));
        List<Integer> deflatedRecords = new ArrayList<>();
        assertThat(readInflated(deflating, 1, deflatedRecords)).as("no page refers back across the one written as it is")
                .isEqualTo(String.join("\n", lines));
        assertThat(deflatedRecords.stream().mapToInt(Integer::intValue).sum()).isEqualTo(520 - 154);
        deflating.close();
    }
}
