package io.logpush.job.functions;

import io.logpush.config.JobConfigParser;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.JobTable;
import io.logpush.job.records.BatchFrame;
import io.logpush.job.records.JobFrame;
import io.logpush.job.records.JobFrameUpdate;
import io.logpush.job.records.OpenBatchState;
import io.logpush.job.records.RoutedRecord;
import io.logpush.job.testutils.JobConfigs;
import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.Compression;
import io.logpush.sink.JobLanes;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-job buffer: batches close exactly at each limit, timers flush, state and timers are cleaned. */
class JobBufferTest {

    private static final long JOB = 7;

    private static final JobConfigParser PARSER = new JobConfigParser(JobConfigs.POLICY);

    private KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, JobFrameUpdate, BatchChunk> harness;
    private long version;

    /** One batch as the sink would receive it: descriptor and the concatenated chunks. */
    private record Batch(BatchDescriptor descriptor, String content, int chunks, int deflatedChunks) {}

    private JobBuffer buffer;

    @BeforeEach
    void setUp() throws Exception {
        buffer = new JobBuffer(JobConfigs.POLICY, 16, 0);
        harness = newHarness(buffer);
        harness.open();
        harness.setProcessingTime(1_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void configure(String limits, boolean enabled) throws Exception {
        configure("{\"field_names\":[\"RayID\"]}", limits, enabled);
    }

    private void configure(String outputOptions, String limits, boolean enabled) throws Exception {
        version++;
        update(JobConfigs.upsert(JOB, version, JobConfigs.json(JOB, "z", "file:///out/{DATE}", enabled, outputOptions, limits)));
    }

    /** Sends the buffer the frame the config stage compiles from {@code update}. */
    private void update(ConfigUpdate update) throws Exception {
        harness.processElement2(new JobFrameUpdate(update.jobId(), FrameCompiler.compile(PARSER, update)), 1L);
    }

    /** A new buffer (16-byte chunks) restored from {@code state}, as after a failover or an upgrade. */
    private static KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, JobFrameUpdate, BatchChunk> restored(
            OperatorSubtaskState state) throws Exception {
        return restored(state, null);
    }

    /** @param backend the keyed state backend, null for the harness's (heap) */
    private static KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, JobFrameUpdate, BatchChunk> restored(
            OperatorSubtaskState state, StateBackend backend) throws Exception {
        return restored(state, backend, new JobBuffer(JobConfigs.POLICY, 16, 0));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, JobFrameUpdate, BatchChunk> restored(
            OperatorSubtaskState state, StateBackend backend, JobBuffer buffer) throws Exception {
        var restored = newHarness(buffer);
        if (backend != null) {
            restored.setStateBackend(backend);
        }
        restored.setup();
        restored.initializeState(state);
        restored.open();
        return restored;
    }

    /** Replaces the harness with a fresh buffer (4 KiB chunks) on RocksDB, as deployed. */
    private void useRocksDb() throws Exception {
        useRocksDb(new JobBuffer(JobConfigs.POLICY, 4_096, 0));
    }

    private void useRocksDb(JobBuffer buffer) throws Exception {
        harness.close();
        harness = newHarness(buffer);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.setup();
        harness.open();
    }

    /** A buffer in a harness of its own (parallelism 1, max parallelism 128), not set up yet. */
    private static KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, JobFrameUpdate, BatchChunk> newHarness(
            JobBuffer buffer) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new JobBufferOperator(buffer),
                RoutedRecord::laneKey, JobFrameUpdate::laneKey, Types.LONG, 128, 1, 0);
    }

    private void record(String text) throws Exception {
        record(text, version);
    }

    private void record(String text, long configVersion) throws Exception {
        harness.processElement1(new RoutedRecord(JOB, configVersion, 1_731_578_400_000L, text.getBytes(StandardCharsets.UTF_8)), 1L);
    }

    /** Keyed state entries (key x state) left in the heap backend, once the counters kept on the heap are written, as before a snapshot. */
    private int keyedStateEntries() throws Exception {
        ((JobBuffer) ((JobBufferOperator) harness.getOperator()).getUserFunction()).flushCachedState();
        return harness.numKeyedStateEntries();
    }

    private List<Batch> batches() throws Exception {
        Map<Long, SplicedStream> content = new LinkedHashMap<>();
        Map<Long, BatchDescriptor> descriptors = new LinkedHashMap<>();
        Map<Long, Integer> chunks = new LinkedHashMap<>();
        for (BatchChunk chunk : harness.extractOutputValues()) {
            long seq = chunk.batch().sequence();
            assertThat(chunk.index()).isEqualTo(chunks.getOrDefault(seq, 0));
            descriptors.put(seq, chunk.batch());
            chunks.merge(seq, 1, Integer::sum);
            SplicedStream stream = content.computeIfAbsent(seq, s -> new SplicedStream());
            if (chunk.deflated() == null) {
                stream.content(chunk.bytes(), 0, chunk.bytes().length);
            } else {
                stream.deflated(chunk.bytes(), 0, chunk.bytes().length);
            }
        }
        List<Batch> batches = new ArrayList<>();
        for (Map.Entry<Long, BatchDescriptor> batch : descriptors.entrySet()) {
            SplicedStream stream = content.get(batch.getKey());
            batches.add(new Batch(batch.getValue(), stream.inflate(), chunks.get(batch.getKey()), stream.deflatedPieces()));
        }
        return batches;
    }

    @Test
    void closesExactlyAtTheRecordLimit() throws Exception {
        configure("\"max_upload_records\":3,\"max_upload_interval_seconds\":0", true);
        for (int i = 0; i < 7; i++) {
            record("r" + i + "\n");
        }
        List<Batch> batches = batches();
        assertThat(batches).extracting(Batch::content).containsExactly("r0\nr1\nr2\n", "r3\nr4\nr5\n");
        assertThat(batches).extracting(b -> b.descriptor().sequence()).containsExactly(0L, 1L);
        assertThat(batches.get(0).descriptor().records()).isEqualTo(3);
        assertThat(batches.get(0).descriptor().bytes()).isEqualTo(9);
        assertThat(batches.get(0).descriptor().directory()).isEqualTo("file:///out/20241114");
    }

    @Test
    void eachLaneOfAHotJobBatchesOnItsOwnAndNamesItsBatchesForItsJobAndLane() throws Exception {
        configure("\"max_upload_records\":2,\"max_upload_interval_seconds\":0", true);
        long lane = JobLanes.key(JOB, 5);
        ConfigUpdate config = JobConfigs.upsert(JOB, version, JobConfigs.json(JOB, "z", "file:///out/{DATE}", true,
                "{\"field_names\":[\"RayID\"]}", "\"max_upload_records\":2,\"max_upload_interval_seconds\":0"));
        harness.processElement2(new JobFrameUpdate(lane, FrameCompiler.compile(PARSER, config)), 1L);
        for (int i = 0; i < 3; i++) {
            record("a" + i + "\n");
            harness.processElement1(new RoutedRecord(lane, version, 1_731_578_400_000L, ("b" + i + "\n").getBytes(StandardCharsets.UTF_8)), 1L);
        }
        List<Batch> batches = batches();
        assertThat(batches).extracting(Batch::content).containsExactly("a0\na1\n", "b0\nb1\n");
        assertThat(batches).extracting(b -> b.descriptor().jobId()).containsOnly(JOB);
        assertThat(batches).extracting(b -> b.descriptor().laneKey()).containsExactly(JOB, lane);
        assertThat(batches.get(1).descriptor().sequence()).isEqualTo(JobLanes.firstSequence(lane));
        assertThat(batches.get(0).descriptor().objectName(Compression.GZIP)).isNotEqualTo(batches.get(1).descriptor().objectName(Compression.GZIP));
    }

    @Test
    void closesBeforeARecordWouldPassTheByteLimitFramingIncluded() throws Exception {
        configure("{\"field_names\":[\"RayID\"],\"batch_prefix\":\"[\",\"batch_suffix\":\"]\",\"record_delimiter\":\",\"}",
                "\"max_upload_bytes\":20,\"max_upload_records\":0,\"max_upload_interval_seconds\":0", true);
        for (String r : List.of("aaaaaa", "bbbbbb", "cccccc", "dddddd")) {
            record(r);
        }
        // "[" + "aaaaaa" + "," + "bbbbbb" + "]" = 15 bytes; adding ",cccccc" would make 22 > 20.
        assertThat(batches()).extracting(Batch::content).containsExactly("[aaaaaa,bbbbbb]");
        assertThat(batches().get(0).descriptor().bytes()).isEqualTo(15);
    }

    @Test
    void aRecordLargerThanTheByteLimitTravelsAlone() throws Exception {
        configure("\"max_upload_bytes\":10,\"max_upload_records\":0,\"max_upload_interval_seconds\":0", true);
        record("abc");
        record("0123456789ABCDEF");
        record("def");
        assertThat(batches()).extracting(Batch::content).containsExactly("abc", "0123456789ABCDEF");
        assertThat(batches().get(1).chunks()).as("16-byte chunks").isEqualTo(1);
    }

    @Test
    void anIdleJobIsFlushedByItsIntervalTimerAndKeepsOnlyItsFrameAndSequence() throws Exception {
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":2", true);
        record("only one\n");
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(2_999);
        assertThat(batches()).isEmpty();
        harness.setProcessingTime(3_000);
        assertThat(batches()).extracting(Batch::content).containsExactly("only one\n");
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).as("no end-of-input timer: the operator closes what is open when its inputs end").isZero();
        assertThat(keyedStateEntries()).as("only the job's frame and batch sequence number remain").isEqualTo(2);

        record("the next\n");
        harness.endInput1();
        harness.endInput2();
        assertThat(batches()).extracting(Batch::content).containsExactly("only one\n", "the next\n");
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theEndOfInputFlushesEveryOpenBatchAndLeavesNoTimers() throws Exception {
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":0", true);
        record("a\n");
        record("b\n");
        assertThat(harness.numProcessingTimeTimers()).as("no interval limit, no timer: config changes need none").isZero();
        harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));
        harness.endInput1();
        assertThat(batches()).as("a frame may still come while the other input runs").isEmpty();
        harness.endInput2();
        assertThat(batches()).extracting(Batch::content).containsExactly("a\nb\n");
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aReplayThatInterleavesTwoPartitionsTheOtherWayClosesTheSameBatchWithEachEventOnce() throws Exception {
        configure("\"max_upload_records\":2,\"max_upload_interval_seconds\":0", true);
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1_000);
        // First attempt: partition 0's event first; the batch closes, then the task fails before the next checkpoint.
        record("from-partition-0\n");
        record("from-partition-1\n");
        Batch first = batches().get(0);

        // Second attempt, restored from the checkpoint: the partitions interleave the other way.
        harness.close();
        harness = restored(checkpoint);
        record("from-partition-1\n");
        record("from-partition-0\n");
        Batch second = batches().get(0);

        // The same object name (job, sequence, event-time range): the sink commits one of them, never both.
        assertThat(second.descriptor()).usingRecursiveComparison().isEqualTo(first.descriptor());
        assertThat(second.content().split("\n")).containsExactlyInAnyOrder("from-partition-0", "from-partition-1");
    }

    /** A harness around an earlier version's buffer, which got configs by broadcast. */
    private static KeyedBroadcastOperatorTestHarness<Long, RoutedRecord, ConfigUpdate, BatchChunk> earlier(
            KeyedBroadcastProcessFunction<Long, RoutedRecord, ConfigUpdate, BatchChunk> function,
            MapStateDescriptor<?, ?> broadcastState) throws Exception {
        var earlier = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(function,
                List.of(broadcastState)), RoutedRecord::laneKey, Types.LONG, 128, 1, 0);
        earlier.setStateBackend(new EmbeddedRocksDBStateBackend());
        earlier.open();
        return earlier;
    }

    /** An earlier version's buffer that kept what {@code entry} makes of each config update in broadcast state, and no records. */
    private static <V> KeyedBroadcastOperatorTestHarness<Long, RoutedRecord, ConfigUpdate, BatchChunk> earlierKeeping(
            MapStateDescriptor<Long, V> state, Function<ConfigUpdate, V> entry) throws Exception {
        return earlier(new KeyedBroadcastProcessFunction<>() {
            @Override
            public void processElement(RoutedRecord record, ReadOnlyContext ctx, Collector<BatchChunk> out) {}

            @Override
            public void processBroadcastElement(ConfigUpdate update, Context ctx, Collector<BatchChunk> out) throws Exception {
                ctx.getBroadcastState(state).put(update.jobId(), entry.apply(update));
            }
        }, state);
    }

    private static ConfigUpdate config(long version, String limits) {
        return JobConfigs.upsert(JOB, version, JobConfigs.json(JOB, "z", "file:///out/{DATE}", true,
                "{\"field_names\":[\"RayID\"]}", limits));
    }

    @Test
    void aSavepointThatHoldsTheConfigsThemselvesIsCompiledIntoFramesOnRestoreUntilTheNextChange() throws Exception {
        // How the buffer kept broadcast state before frames: every job's config update, whole.
        OperatorSubtaskState savepoint;
        try (var earlier = earlierKeeping(JobTable.STATE, update -> update)) {
            earlier.processBroadcastElement(config(1, "\"max_upload_records\":1"), 1L);
            savepoint = earlier.snapshot(1, 1_000);
        }
        harness.close();
        harness = restored(savepoint, new EmbeddedRocksDBStateBackend());
        version = 1;
        record("restored\n");
        // A checkpoint after the restore still holds the compiled frame.
        OperatorSubtaskState checkpoint = harness.snapshot(2, 2_000);
        harness.close();
        harness = restored(checkpoint, new EmbeddedRocksDBStateBackend());
        record("again\n");
        update(config(2, "\"max_upload_records\":2"));
        version = 2;
        record("changed-1\n");
        record("changed-2\n");
        assertThat(batches()).extracting(b -> b.descriptor().configVersion() + " " + b.content())
                .containsExactly("1 again\n", "2 changed-1\nchanged-2\n");
    }

    @Test
    void afterARescaleEachInstanceKeepsTheLegacyFramesOfTheJobsItOwns() throws Exception {
        // How the buffer kept broadcast state before frames were keyed: every job's frame, in every instance.
        List<Long> jobs = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        OperatorSubtaskState savepoint;
        try (var earlier = earlierKeeping(JobBuffer.LEGACY_FRAMES,
                update -> FrameCompiler.compile(PARSER, update))) {
            for (long job : jobs) {
                earlier.processBroadcastElement(JobConfigs.upsert(job, 1, JobConfigs.json(job, "z" + job, "file:///out/" + job,
                        true, "{\"field_names\":[\"RayID\"]}", "\"max_upload_records\":1")), 1L);
            }
            savepoint = earlier.snapshot(1, 1_000);
        }
        List<String> directories = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            JobBuffer instance = new JobBuffer(JobConfigs.POLICY, 16, 0);
            try (var restored = new KeyedTwoInputStreamOperatorTestHarness<>(new JobBufferOperator(instance),
                    RoutedRecord::laneKey, JobFrameUpdate::laneKey, Types.LONG, 128, 2, subtask)) {
                restored.setStateBackend(new EmbeddedRocksDBStateBackend());
                restored.setup();
                restored.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(savepoint, 128, 1, 2, subtask));
                restored.open();
                for (long job : jobs) {
                    if (KeyGroupRangeAssignment.assignKeyToParallelOperator(job, 128, 2) == subtask) {
                        restored.processElement1(new RoutedRecord(job, 1, 0L, new byte[] {'x'}), 1L);
                    }
                }
                assertThat(instance.legacyFrameCount()).as("subtask %d keeps only its own jobs' frames", subtask)
                        .isBetween(1, jobs.size() - 1);
                restored.extractOutputValues().forEach(chunk -> directories.add(chunk.batch().directory()));
            }
        }
        assertThat(directories).as("every job's record was framed by its owner")
                .containsExactlyInAnyOrderElementsOf(jobs.stream().map(job -> "file:///out/" + job).toList());
    }

    @Test
    void stateWrittenByFlinksReflectiveSerializersIsMigratedOnRestore() throws Exception {
        // How the buffer's state was written before its hand-written serializers: Flink's POJO format.
        MapStateDescriptor<Long, JobFrame> pojoFrames =
                new MapStateDescriptor<>(JobBuffer.LEGACY_FRAMES.getName(), Types.LONG, TypeInformation.of(JobFrame.class));
        long t = 1_731_578_400_000L;
        BatchFrame opened = new BatchFrame(1, "file:///old/{DATE}", new byte[0], new byte[0], new byte[0], 0, 2, 0);
        BatchFrame current = new BatchFrame(1, "file:///old/{DATE}", new byte[0], new byte[0], new byte[0], 0, 100, 0);
        KeyedBroadcastProcessFunction<Long, RoutedRecord, ConfigUpdate, BatchChunk> before = new KeyedBroadcastProcessFunction<>() {
            @Override
            public void processElement(RoutedRecord record, ReadOnlyContext ctx, Collector<BatchChunk> out) throws Exception {
                getRuntimeContext().getMapState(JobBuffer.RECORDS).put(0L,
                        ByteBuffer.allocate(8 + record.bytes().length).putLong(t).put(record.bytes()).array());
                // Frame version 0: the restored buffer must read the batch's own frame from keyed state.
                getRuntimeContext().getState(new ValueStateDescriptor<>(JobBuffer.BATCH.getName(),
                        TypeInformation.of(OpenBatchState.class))).update(new OpenBatchState(1, 6, t, t, 1_000, 0, 0, 0));
                getRuntimeContext().getState(new ValueStateDescriptor<>(JobBuffer.FRAME.getName(),
                        TypeInformation.of(BatchFrame.class))).update(opened);
            }

            @Override
            public void processBroadcastElement(ConfigUpdate update, Context ctx, Collector<BatchChunk> out) throws Exception {
                ctx.getBroadcastState(pojoFrames).put(update.jobId(), new JobFrame(1, current));
            }
        };
        OperatorSubtaskState savepoint;
        try (var earlier = earlier(before, pojoFrames)) {
            earlier.processBroadcastElement(config(1, "\"max_upload_records\":100"), 1L);
            earlier.processElement(new RoutedRecord(JOB, 1, t, "first\n".getBytes(StandardCharsets.UTF_8)), 1L);
            savepoint = earlier.snapshot(1, 1_000);
        }
        harness.close();
        harness = restored(savepoint, new EmbeddedRocksDBStateBackend());
        record("second\n", 1);
        assertThat(batches()).as("closed at the 2 records of the frame the batch opened with").singleElement()
                .satisfies(batch -> {
                    assertThat(batch.content()).isEqualTo("first\nsecond\n");
                    assertThat(batch.descriptor().directory()).isEqualTo("file:///old/20241114");
                    assertThat(batch.descriptor().configVersion()).isEqualTo(1);
                });
    }

    /**
     * At level 6 (the sink's) full pages go to state deflated, at 0 as they are. A buffer restored
     * for a sink that takes no deflated chunks (its compression switched off) inflates the pages it finds.
     */
    @ParameterizedTest(name = "pages deflated at level {0}, then at level {1} after the restore")
    @CsvSource({"0, 0", "6, 6", "6, 0", "0, 6"})
    void aLongBatchIsReadBackFromRocksDbInTheOrderItWasBufferedAcrossPagesAndARestore(int before, int after) throws Exception {
        useRocksDb(new JobBuffer(JobConfigs.POLICY, 4_096, before));
        configure("\"max_upload_records\":1000,\"max_upload_interval_seconds\":0", true);
        // 100-byte records: 1,000 of them fill several 32 KiB pages, written when full or at the checkpoint.
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            if (i == 500) {
                OperatorSubtaskState checkpoint = harness.snapshot(1, 1_000);
                harness.close();
                harness = restored(checkpoint, new EmbeddedRocksDBStateBackend(), new JobBuffer(JobConfigs.POLICY, 16, after));
            }
            String text = String.format("%099d%n", i);
            record(text);
            expected.append(text);
        }
        Batch batch = batches().get(0);
        assertThat(batch.content()).isEqualTo(expected.toString());
        // Before the restore: a full page (292 records) and the one the checkpoint wrote, which follows it; after: a full page.
        assertThat(batch.deflatedChunks()).isEqualTo((before == 6 && after == 6 ? 2 : 0) + (after == 6 ? 1 : 0));
        for (MapStateDescriptor<Long, byte[]> pages : List.of(JobBuffer.PAGES, JobBuffer.DEFLATED_PAGES)) {
            try (Stream<Long> jobsWithPages = ((JobBufferOperator) harness.getOperator()).<Long>getKeyedStateBackend()
                    .getKeys(pages.getName(), VoidNamespace.INSTANCE)) {
                assertThat(jobsWithPages).as("the closed batch's %s are removed", pages.getName()).isEmpty();
            }
        }
    }

    @Test
    void countersAndPagesKeptOnTheHeapReachTheCheckpointAndTheEndOfInputForMoreJobsThanTheHeapKeeps() throws Exception {
        long heapPageBytes = 64 * 1024; // a tenth of 5,000 jobs' pages: most leave the heap under their own key
        useRocksDb(new JobBuffer(JobConfigs.POLICY, 4_096, 0, heapPageBytes));
        int jobs = 5_000; // more than the 4,096 jobs whose counters stay on the heap: many are evicted
        for (long job = 1; job <= jobs; job++) {
            update(JobConfigs.upsert(job, 1, JobConfigs.json(job, "z", "file:///out/{DATE}", true,
                    "{\"field_names\":[\"RayID\"]}", "\"max_upload_records\":100,\"max_upload_interval_seconds\":0")));
        }
        for (String text : List.of("a\n", "b\n")) {
            for (long job = 1; job <= jobs; job++) {
                harness.processElement1(new RoutedRecord(job, 1, 1_731_578_400_000L, (job + text).getBytes(StandardCharsets.UTF_8)), 1L);
            }
        }
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1_000);
        harness.close();

        harness = restored(checkpoint, new EmbeddedRocksDBStateBackend(), new JobBuffer(JobConfigs.POLICY, 16, 0, heapPageBytes));
        for (long job = 1; job <= jobs; job++) {
            harness.processElement1(new RoutedRecord(job, 1, 1_731_578_400_000L, (job + "c\n").getBytes(StandardCharsets.UTF_8)), 1L);
        }
        harness.endInput1();
        harness.endInput2();
        Map<Long, ByteArrayOutputStream> content = new LinkedHashMap<>();
        Map<Long, Long> counts = new LinkedHashMap<>();
        for (BatchChunk chunk : harness.extractOutputValues()) {
            content.computeIfAbsent(chunk.batch().jobId(), j -> new ByteArrayOutputStream()).writeBytes(chunk.bytes());
            counts.put(chunk.batch().jobId(), chunk.batch().records());
        }
        assertThat(content).hasSize(jobs);
        content.forEach((job, bytes) -> assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(job + "a\n" + job + "b\n" + job + "c\n"));
        assertThat(counts.values()).containsOnly(3L);
    }

    @Test
    void longBatchesAreCutIntoOrderedChunks() throws Exception {
        configure("\"max_upload_records\":2,\"max_upload_interval_seconds\":0", true);
        record("0123456789abcdefghij");
        record("KLMNOPQRSTUVWXYZ");
        Batch batch = batches().get(0);
        assertThat(batch.content()).isEqualTo("0123456789abcdefghijKLMNOPQRSTUVWXYZ");
        assertThat(batch.chunks()).isEqualTo(3);
    }

    @Test
    void deletingAJobFlushesWhatItBufferedAtOnce() throws Exception {
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":0", true);
        record("a\n");
        record("b\n");
        update(JobConfigs.delete(JOB, ++version));
        assertThat(batches()).extracting(Batch::content).containsExactly("a\nb\n");
        assertThat(batches().get(0).descriptor().configVersion()).as("under the config it opened with").isEqualTo(1);
        assertThat(keyedStateEntries()).as("the job's frame (deleted) and batch sequence number").isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void disablingFlushesAndReEnablingStartsClean() throws Exception {
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":0", true);
        record("before\n");
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":0", false);
        assertThat(batches()).extracting(Batch::content).containsExactly("before\n");
        configure("\"max_upload_records\":1,\"max_upload_interval_seconds\":0", true);
        record("after\n");
        assertThat(batches()).extracting(Batch::content).containsExactly("before\n", "after\n");
        assertThat(batches()).extracting(b -> b.descriptor().sequence()).containsExactly(0L, 1L);
    }

    @Test
    void aConfigChangeClosesTheBatchUnderTheConfigItOpenedWith() throws Exception {
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":0", true);
        record("old\n");
        update(JobConfigs.upsert(JOB, ++version, JobConfigs.json(JOB, "z", "file:///new/{DATE}", true, "\"max_upload_records\":1")));
        record("new\n");
        assertThat(batches()).extracting(b -> b.descriptor().directory() + " " + b.content())
                .containsExactly("file:///out/20241114 old\n", "file:///new/20241114 new\n");
    }

    @Test
    void recordsAheadOfTheirConfigAreHeldUntilItArrives() throws Exception {
        record("early-1\n", 1);
        record("early-2\n", 1);
        harness.setProcessingTime(5_000);
        assertThat(batches()).isEmpty();
        assertThat(keyedStateEntries()).as("held in state").isGreaterThanOrEqualTo(2);
        configure("\"max_upload_records\":1,\"max_upload_interval_seconds\":0", true);
        assertThat(batches()).as("framed as soon as their config arrives").extracting(Batch::content)
                .containsExactly("early-1\n", "early-2\n");
    }

    @Test
    void recordsHeldForTheirConfigBecomeItsOpenBatchWhenTheyFitItsLimits() throws Exception {
        record("early-1\n", 1);
        harness.setProcessingTime(1_500); // the held record looks for its config once a second
        record("early-2\n", 1);
        configure("\"max_upload_records\":3,\"max_upload_interval_seconds\":0", true);
        assertThat(version).isEqualTo(1);
        assertThat(batches()).as("two records fit three: the batch stays open, not closed for the config's arrival").isEmpty();
        assertThat(harness.numProcessingTimeTimers()).as("no interval, and nothing held").isZero();
        record("framed\n");
        assertThat(batches()).as("closed at the record limit, held and framed records together").extracting(Batch::content)
                .containsExactly("early-1\nearly-2\nframed\n");
    }

    @Test
    void adoptedRecordsCountTheirFramingAgainstTheByteLimit() throws Exception {
        record("aaaaaa", 1);
        record("bbbbbb", 1);
        configure("{\"field_names\":[\"RayID\"],\"batch_prefix\":\"[\",\"batch_suffix\":\"]\",\"record_delimiter\":\",\"}",
                "\"max_upload_bytes\":20,\"max_upload_records\":0,\"max_upload_interval_seconds\":0", true);
        assertThat(batches()).as("\"[aaaaaa,bbbbbb]\" is 15 bytes of 20: adopted").isEmpty();
        record("cccccc"); // 22 bytes with it: the adopted batch closes first
        record("dd");
        harness.endInput2();
        harness.endInput1();
        assertThat(batches()).extracting(Batch::content).containsExactly("[aaaaaa,bbbbbb]", "[cccccc,dd]");
    }

    @Test
    void adoptedRecordsCloseByTheIntervalCountedFromTheFirstOfThem() throws Exception {
        harness.setProcessingTime(10_000);
        record("early\n", 1);
        harness.setProcessingTime(12_000);
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":30", true);
        assertThat(harness.numProcessingTimeTimers()).as("the interval's timer only").isEqualTo(1);
        record("framed\n");
        harness.setProcessingTime(39_999);
        assertThat(batches()).isEmpty();
        harness.setProcessingTime(40_000);
        assertThat(batches()).extracting(Batch::content).containsExactly("early\nframed\n");
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void heldRecordsWhoseIntervalHasPassedWhenTheirConfigArrivesCloseAtOnce() throws Exception {
        record("early\n", 1);
        harness.setProcessingTime(31_000);
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":30", true);
        assertThat(batches()).extracting(Batch::content).containsExactly("early\n");
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void recordsHeldForConfigVersionZeroAreCutExactlyAtTheByteLimitFramingIncluded() throws Exception {
        // Versions are config-topic offsets: the topic's first job has version 0, which is not "no version".
        for (String r : List.of("aaaaaa", "bbbbbb", "cccccc")) {
            record(r, 0);
        }
        assertThat(batches()).as("held: the buffer has no config for the job yet").isEmpty();
        version = -1;
        configure("{\"field_names\":[\"RayID\"],\"batch_prefix\":\"[\",\"batch_suffix\":\"]\",\"record_delimiter\":\",\"}",
                "\"max_upload_bytes\":20,\"max_upload_records\":0,\"max_upload_interval_seconds\":0", true);
        assertThat(version).isZero();
        // The held records' 18 bytes fit 20, but framed they make "[aaaaaa,bbbbbb,cccccc]", 22 bytes.
        assertThat(batches()).extracting(Batch::content).containsExactly("[aaaaaa,bbbbbb]", "[cccccc]");
        record("dddddd");
        record("eeeeee");
        record("ffffff");
        assertThat(batches()).as("version 0 frames later records too").extracting(Batch::content)
                .containsExactly("[aaaaaa,bbbbbb]", "[cccccc]", "[dddddd,eeeeee]");
    }

    @Test
    void atTheEndOfInputRecordsStillAheadOfTheirConfigGoOutUnderTheLatestOne() throws Exception {
        configure("\"max_upload_records\":100,\"max_upload_interval_seconds\":0", true);
        record("framed\n");
        record("ahead\n", version + 1);
        harness.endInput2();
        harness.endInput1();
        assertThat(batches()).as("the held record joined the open batch, which closes: nothing stays behind")
                .extracting(Batch::content).containsExactly("framed\nahead\n");
        assertThat(keyedStateEntries()).as("only the job's frame and batch sequence number remain").isEqualTo(2);
    }

    @Test
    void countersReconcile() throws Exception {
        configure("\"max_upload_records\":3,\"max_upload_interval_seconds\":0", true);
        for (int i = 0; i < 8; i++) {
            record("r" + i + "\n");
        }
        update(JobConfigs.delete(JOB, ++version));
        harness.processElement1(new RoutedRecord(JOB + 1, 1, 0L, new byte[] {1}), 1L);
        update(JobConfigs.delete(JOB + 1, 2));
        harness.setProcessingTime(11_000);
        assertThat(buffer.recordsIn.getCount()).isEqualTo(9)
                .isEqualTo(buffer.recordsFlushed.getCount() + buffer.recordsBuffered + buffer.recordsDropped.getCount());
        assertThat(buffer.recordsFlushed.getCount()).isEqualTo(8);
        assertThat(buffer.recordsDropped.getCount()).as("held for a job deleted before its config arrived").isEqualTo(1);
    }
}
