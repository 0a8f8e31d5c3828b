package io.logpush.job.functions;

import io.logpush.config.Destination;
import io.logpush.config.DeploymentPolicy;
import io.logpush.config.JobConfigParser;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.JobTable;
import io.logpush.job.records.BatchFrame;
import io.logpush.job.records.BatchFrameSerializer;
import io.logpush.job.records.JobFrame;
import io.logpush.job.records.JobFrameSerializer;
import io.logpush.job.records.JobFrameUpdate;
import io.logpush.job.records.OpenBatchState;
import io.logpush.job.records.OpenBatchStateSerializer;
import io.logpush.job.records.RoutedRecord;
import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.JobLanes;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One buffer per job lane (keyed by lane, in RocksDB; run by {@link JobBufferOperator}; a lane is
 * the job itself unless a hot job is spread over several, see {@link JobLanes}): appends each
 * record with O(1) state operations and closes the batch exactly at the job's limits: at
 * {@code max_upload_records}, before a record would push it past {@code max_upload_bytes}
 * (uncompressed, framing included), or {@code max_upload_interval_seconds} after its first record
 * (a processing-time timer flushes idle jobs), or when both inputs end (bounded runs and drained
 * stops deliver everything). A record larger than the byte limit travels alone. A closed batch
 * streams to the sink as chunks read lazily from state, all in one go; then the batch's state and
 * timer are cleared.
 *
 * <p>Config changes arrive as {@link JobFrameUpdate}s keyed by lane, like the records, so each
 * instance stores the frames of the jobs it owns only, in keyed state (memory and checkpoints do
 * not grow with the number of jobs), and acts on a change at once: a batch remembers the config it
 * opened under ({@link BatchFrame}) and is closed as it was promised when the job changes, is
 * deleted or disabled. Records routed under a config version this instance has not received yet
 * (frames and records travel on different channels) are held in state until it arrives, never dropped;
 * then they become the batch of that config if they fit its limits, or close at once, cut at them.
 *
 * <p>Metrics: {@code recordsIn}, {@code recordsFlushed}, {@code recordsDroppedJobRemoved},
 * {@code oversizedRecords}, {@code batchesClosed<Reason>} (counters); {@code recordsBuffered},
 * {@code openBatches}, {@code oldestBufferedMillis} (gauges, counting what this attempt opened).
 *
 * <p>Keyed state per job: its latest frame ({@link JobFrame}), the records (in pages of many
 * records, {@link RecordPages}), the counters, the open batch's frame, and the next batch sequence
 * number (kept across batches: it names the objects).
 */
public final class JobBuffer extends KeyedCoProcessFunction<Long, RoutedRecord, JobFrameUpdate, BatchChunk>
        implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(JobBuffer.class);
    private static final long serialVersionUID = 1L;
    /**
     * The event-time timer that closes a job's batch at the end of input: {@link JobBufferOperator}
     * fires it for each open batch when both inputs end; savepoints of earlier versions hold it registered.
     */
    static final long END_OF_INPUT = Long.MAX_VALUE;
    /** Jobs whose open batch counters and latest frame each instance keeps on the heap too (about 250 bytes each). */
    private static final int CACHED_JOBS = 4096;
    /** A page of records on the heap is written to state once it holds this many bytes. */
    private static final int PAGE_BYTES = 32 * 1024;
    /** The most each instance keeps on the heap of its open batches' records, whatever the number of jobs. */
    private static final long HEAP_PAGE_BYTES = 16L * 1024 * 1024;
    /** How soon held records look again for the config they wait for. */
    private static final long HOLD_CHECK_MILLIS = 1_000;

    static final ValueStateDescriptor<JobFrame> LATEST = new ValueStateDescriptor<>("job-frame", JobFrameSerializer.TYPE_INFO);
    /** The open batch's records, in pages ({@link RecordPages}): first record index to page. */
    static final MapStateDescriptor<Long, byte[]> PAGES =
            new MapStateDescriptor<>("batch-pages", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    /** The open batch's pages written deflated ({@link RecordPages}), keyed like {@link #PAGES}. */
    static final MapStateDescriptor<Long, byte[]> DEFLATED_PAGES =
            new MapStateDescriptor<>("batch-pages-deflated", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    /**
     * Records of savepoints taken before pages, one entry per record (index to event time + bytes):
     * moved into pages when the buffer opens ({@link #moveRecordsOfEarlierVersion}).
     */
    static final MapStateDescriptor<Long, byte[]> RECORDS =
            new MapStateDescriptor<>("batch-records", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    static final ValueStateDescriptor<OpenBatchState> BATCH =
            new ValueStateDescriptor<>("batch", OpenBatchStateSerializer.TYPE_INFO);
    static final ValueStateDescriptor<BatchFrame> FRAME =
            new ValueStateDescriptor<>("batch-frame", BatchFrameSerializer.TYPE_INFO);
    static final ValueStateDescriptor<Long> SEQUENCE = new ValueStateDescriptor<>("batch-sequence", Types.LONG);
    /**
     * Broadcast state of savepoints taken when every instance held every job's frame. Read on
     * restore and otherwise left as it is (only the configs of even earlier savepoints are compiled
     * into it, once): a job's keyed frame, once it has one, is newer.
     */
    static final MapStateDescriptor<Long, JobFrame> LEGACY_FRAMES =
            new MapStateDescriptor<>("job-frames", Types.LONG, JobFrameSerializer.TYPE_INFO);

    private final DeploymentPolicy policy;
    private final int chunkBytes;
    private final int deflateLevel;
    private final long heapPageBytes;

    /** Frames restored from {@link #LEGACY_FRAMES} for the jobs this instance owns; empty unless restored from such a savepoint. */
    private transient Map<Long, JobFrame> legacyFrames;
    /** The job's latest frame, read per record: recently used ones are kept on the heap too. */
    private transient CachedValueState<JobFrame> latest;
    /** The open batches' records: pages in state, the latest page of recently used jobs on the heap too. */
    private transient RecordPages pages;
    private transient MapState<Long, byte[]> recordsOfEarlierVersion;
    /**
     * The open batch's counters, read and written per record: recently used ones are kept on the
     * heap and written back to state when evicted or before a snapshot.
     */
    private transient CachedValueState<OpenBatchState> batch;
    /** The running operator's key context, to write evicted counters under their own key; null: written through. */
    transient KeyContext keyContext;
    private transient ValueState<BatchFrame> frame;
    private transient ValueState<Long> sequence;
    // Package-visible for tests.
    transient Counter recordsIn;
    transient Counter recordsFlushed;
    transient Counter recordsDropped;
    private transient Counter oversizedRecords;
    private transient Map<BatchCloseReason, Counter> closed;
    transient long recordsBuffered;
    private transient long openBatches;
    /**
     * How many of the batches this attempt opened are open, by the second they opened in, for the
     * oldest-record-age gauge: as many entries as seconds a batch stays open, whatever the number of jobs.
     */
    private transient TreeMap<Long, Integer> openedAt;
    /** The earliest of {@link #openedAt} (0: none), for the gauge, which is read on the metrics thread. */
    private transient volatile long oldestOpenedAt;
    /** The processing-time timer being fired (0: none); Flink has removed it already. */
    private transient long firingTimer;
    private transient PageInflater inflater;

    /**
     * @param policy the deployment policy, to compile the configs of savepoints taken before frames
     * @param chunkBytes the largest chunk sent to the sink
     * @param deflateLevel the sink's level for chunks deflated ahead ({@code BatchFileSink#chunkDeflateLevel}):
     *     pages of records go to state deflated at it; 0 if the sink takes none
     */
    public JobBuffer(DeploymentPolicy policy, int chunkBytes, int deflateLevel) {
        this(policy, chunkBytes, deflateLevel, HEAP_PAGE_BYTES);
    }

    /** @param heapPageBytes the heap budget for pages of records (tests: a small one makes pages leave the heap) */
    JobBuffer(DeploymentPolicy policy, int chunkBytes, int deflateLevel, long heapPageBytes) {
        if (deflateLevel < 0 || deflateLevel > 9) {
            throw new IllegalArgumentException("the deflate level must be 0 (none) to 9, not " + deflateLevel);
        }
        this.policy = policy;
        this.chunkBytes = chunkBytes;
        this.deflateLevel = deflateLevel;
        this.heapPageBytes = heapPageBytes;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Savepoints of earlier versions hold every job's frame, or even its config, in broadcast
        // state: keep those of the jobs this instance owns until the job's next change supersedes them.
        legacyFrames = new HashMap<>();
        BroadcastState<Long, JobFrame> frames = context.getOperatorStateStore().getBroadcastState(LEGACY_FRAMES);
        BroadcastState<Long, ConfigUpdate> configs = context.getOperatorStateStore().getBroadcastState(JobTable.STATE);
        if (configs.iterator().hasNext()) {
            // Older still: the configs themselves. Compiled once, the same way in every instance.
            JobConfigParser parser = new JobConfigParser(policy);
            for (Map.Entry<Long, ConfigUpdate> entry : configs.entries()) {
                JobFrame compiled = FrameCompiler.compile(parser, entry.getValue());
                JobFrame kept = frames.get(entry.getKey());
                if (kept == null || compiled.version() > kept.version()) {
                    frames.put(entry.getKey(), compiled);
                }
            }
            configs.clear();
        }
        TaskInfo task = getRuntimeContext().getTaskInfo();
        for (Map.Entry<Long, JobFrame> entry : frames.entries()) {
            int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(entry.getKey(),
                    task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
            if (owner == task.getIndexOfThisSubtask()) {
                legacyFrames.put(entry.getKey(), entry.getValue());
            }
        }
    }

    /** How many frames of an earlier version's savepoint this instance keeps (for tests). */
    int legacyFrameCount() {
        return legacyFrames.size();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        // Runs before Flink snapshots keyed state; legacy broadcast state stays as restored.
        flushCachedState();
    }

    /** Writes what is kept only on the heap (counters, pages of records) to keyed state, as before a snapshot. */
    void flushCachedState() throws Exception {
        batch.flush();
        pages.flush();
    }

    /** Writes the counters kept only on the heap to keyed state, before a listing of its keys. */
    void flushCachedCounters() throws Exception {
        batch.flush();
    }

    /**
     * Moves the current job's records buffered by an earlier version (one state entry per record)
     * into pages; run once per such job when the buffer opens.
     */
    void moveRecordsOfEarlierVersion(long job) throws Exception {
        OpenBatchState open = batch.value(job);
        for (long i = 0; open != null && i < open.count(); i++) {
            byte[] stored = recordsOfEarlierVersion.get(i);
            pages.append(job, i, ByteBuffer.wrap(stored).getLong(), Arrays.copyOfRange(stored, Long.BYTES, stored.length), null);
        }
        recordsOfEarlierVersion.clear();
    }

    @Override
    public void open(OpenContext openContext) {
        latest = CachedValueState.writeThrough(getRuntimeContext().getState(LATEST), CACHED_JOBS);
        pages = new RecordPages(getRuntimeContext().getMapState(PAGES), getRuntimeContext().getMapState(DEFLATED_PAGES),
                keyContext, PAGE_BYTES, heapPageBytes, deflateLevel);
        recordsOfEarlierVersion = getRuntimeContext().getMapState(RECORDS);
        ValueState<OpenBatchState> counters = getRuntimeContext().getState(BATCH);
        batch = keyContext == null ? CachedValueState.writeThrough(counters, CACHED_JOBS)
                : CachedValueState.writeBack(counters, CACHED_JOBS, keyContext);
        frame = getRuntimeContext().getState(FRAME);
        sequence = getRuntimeContext().getState(SEQUENCE);
        MetricGroup group = getRuntimeContext().getMetricGroup();
        recordsIn = group.counter("recordsIn");
        recordsFlushed = group.counter("recordsFlushed");
        recordsDropped = group.counter("recordsDroppedJobRemoved");
        oversizedRecords = group.counter("oversizedRecords");
        closed = new EnumMap<>(BatchCloseReason.class);
        for (BatchCloseReason reason : BatchCloseReason.values()) {
            closed.put(reason, group.counter(reason.metricName()));
        }
        openedAt = new TreeMap<>();
        group.gauge("recordsBuffered", () -> recordsBuffered);
        group.gauge("openBatches", () -> openBatches);
        group.gauge("oldestBufferedMillis", () -> oldestOpenedAt == 0 ? 0L : System.currentTimeMillis() - oldestOpenedAt);
    }

    @Override
    public void close() throws Exception {
        if (pages != null) {
            pages.close();
        }
        if (inflater != null) {
            inflater.close();
        }
        super.close();
    }

    /** The lane's latest frame, null if this instance has none yet (legacy frames: lane 0's, keyed by job id). */
    private JobFrame latestFrame(long lane) throws Exception {
        JobFrame keyed = latest.value(lane);
        if (legacyFrames.isEmpty()) {
            return keyed;
        }
        JobFrame legacy = legacyFrames.get(lane);
        return legacy == null || keyed != null && keyed.version() >= legacy.version() ? keyed : legacy;
    }

    /**
     * Keeps the update's frame if it is newer than the job's, so the order updates arrive in does
     * not matter, and acts on it at once: closes a batch opened under an older config, frames or
     * drops the records held for it.
     */
    @Override
    public void processElement2(JobFrameUpdate update, Context ctx, Collector<BatchChunk> out) throws Exception {
        long lane = ctx.getCurrentKey();
        JobFrame current = latestFrame(lane);
        if (current != null && current.version() >= update.frame().version()) {
            return;
        }
        latest.update(lane, update.frame());
        OpenBatchState open = batch.value(lane);
        if (open != null) {
            reconcile(open, frame.value(), update.frame(), false, ctx, out);
        }
    }

    @Override
    public void processElement1(RoutedRecord record, Context ctx, Collector<BatchChunk> out) throws Exception {
        recordsIn.inc();
        long now = ctx.timerService().currentProcessingTime();
        long lane = ctx.getCurrentKey();
        JobFrame entry = latestFrame(lane);
        long version = entry == null ? -1 : entry.version();
        OpenBatchState open = batch.value(ctx.getCurrentKey());
        if (version < record.configVersion()) {
            OpenBatchState held = append(record, open, null, now);
            batch.update(ctx.getCurrentKey(), schedule(ctx, held.awaitedVersion() >= record.configVersion() ? held
                    : held.awaiting(record.configVersion()), null, now));
            return;
        }
        BatchFrame config = entry == null ? null : entry.frame();
        BatchFrame current = frameOf(open, config);
        if (current != null && (config == null || current.configVersion() != version)) {
            if (config == null) {
                // Routed while the job was active: deliver it under the config its batch opened with.
                batch.update(ctx.getCurrentKey(), append(record, open, current, now));
                flush(ctx, out, current, BatchCloseReason.JOB_CHANGE);
                return;
            }
            flush(ctx, out, current, BatchCloseReason.JOB_CHANGE);
            current = null;
            open = null;
        }
        if (config == null) {
            recordsDropped.inc();
            LOG.warn("Dropped a record of job {}: the job was removed before it reached its buffer", JobLanes.describe(lane));
            return;
        }
        if (current == null) {
            current = config;
            if (open != null && open.awaitedVersion() != OpenBatchState.NO_VERSION) {
                open = frameHeld(open, current, now, ctx, out);
            }
            frame.update(current);
        }
        add(record, open, current, ctx, out, now);
    }

    /**
     * The open batch's frame. When the batch opened under the job's current config, that is the
     * job's latest frame, already read (one keyed-state read less per record and per timer); otherwise it is read from state.
     *
     * @param config the frame of the job's current config, null if the job is removed or disabled
     */
    private BatchFrame frameOf(OpenBatchState open, BatchFrame config) throws Exception {
        if (open == null) {
            return null;
        }
        if (config != null && open.frameVersion() == config.configVersion()) {
            return config;
        }
        return frame.value();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<BatchChunk> out) throws Exception {
        OpenBatchState open = batch.value(ctx.getCurrentKey());
        boolean endOfInput = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        if (open == null || !endOfInput && open.timer() != timestamp) {
            return;
        }
        firingTimer = endOfInput ? 0 : timestamp;
        try {
            onBatchTimer(open, endOfInput, timestamp, ctx, out);
        } finally {
            firingTimer = 0;
        }
    }

    private void onBatchTimer(OpenBatchState open, boolean endOfInput, long timestamp, OnTimerContext ctx,
                              Collector<BatchChunk> out) throws Exception {
        JobFrame latest = latestFrame(ctx.getCurrentKey());
        BatchFrame current = frameOf(open, latest == null ? null : latest.frame());
        if (reconcile(open, current, latest, endOfInput, ctx, out)) {
            return;
        }
        if (current == null) {
            batch.update(ctx.getCurrentKey(), schedule(ctx, open, null, timestamp));
        } else if (endOfInput) {
            flush(ctx, out, current, BatchCloseReason.END_OF_INPUT);
        } else if (current.maxIntervalMillis() > 0 && timestamp >= open.openedAt() + current.maxIntervalMillis()) {
            flush(ctx, out, current, BatchCloseReason.INTERVAL);
        } else {
            batch.update(ctx.getCurrentKey(), schedule(ctx, open, current, timestamp));
        }
    }

    /**
     * Brings the open batch in line with the job's latest frame: closes it if it opened under
     * another config, frames or drops held records once their config arrived (or the input ended).
     *
     * @param current the open batch's frame, null while its records wait for their config
     * @param entry the job's latest frame, null if this instance has none yet
     * @return whether the batch was closed, dropped, or framed (its held records adopted)
     */
    private boolean reconcile(OpenBatchState open, BatchFrame current, JobFrame entry, boolean endOfInput, Context ctx,
                              Collector<BatchChunk> out) throws Exception {
        long version = entry == null ? -1 : entry.version();
        BatchFrame config = entry == null ? null : entry.frame();
        if (current == null) {
            if (version < open.awaitedVersion() && !endOfInput) {
                return false;
            }
            if (config == null) {
                recordsDropped.inc(open.count());
                LOG.warn("Dropped {} held records of job {}: the job was removed before its config reached this buffer",
                        open.count(), JobLanes.describe(ctx.getCurrentKey()));
                clear(ctx, open, null);
            } else {
                frame.update(config);
                if (endOfInput) {
                    flush(ctx, out, config, BatchCloseReason.JOB_CHANGE);
                } else {
                    frameHeld(open, config, ctx.timerService().currentProcessingTime(), ctx, out);
                }
            }
            return true;
        }
        if (config == null || current.configVersion() != version) {
            flush(ctx, out, current, BatchCloseReason.JOB_CHANGE);
            return true;
        }
        return false;
    }

    /**
     * Frames held records under their config, which has arrived (the caller writes it to the batch's
     * frame state): they become its open batch if they fit its limits as they stand, framing included, and stay
     * open for the job's next records as if framed on arrival, closing by the limits and by the
     * interval counted from the first of them; so a config change, or a start with many jobs whose
     * events outrun their configs, does not close a small batch of its own. Records that do not fit
     * close at once, cut at the limits.
     *
     * @return the open batch, or null if the records closed
     */
    private OpenBatchState frameHeld(OpenBatchState held, BatchFrame config, long now, Context ctx, Collector<BatchChunk> out)
            throws Exception {
        OpenBatchState adopted = adopt(held, config, now);
        if (adopted == null) {
            flush(ctx, out, config, BatchCloseReason.JOB_CHANGE);
            return null;
        }
        adopted = schedule(ctx, adopted, config, now);
        batch.update(ctx.getCurrentKey(), adopted);
        return adopted;
    }

    /** The held records' counters as the open batch of {@code config}, framing included; null if they do not fit its limits. */
    private static OpenBatchState adopt(OpenBatchState held, BatchFrame config, long now) {
        long bytes = config.overhead() + held.bytes() + (held.count() - 1) * config.recordDelimiter().length;
        boolean fits = (config.maxRecords() == 0 || held.count() < config.maxRecords())
                && (config.maxBytes() == 0 || bytes <= config.maxBytes())
                && (config.maxIntervalMillis() == 0 || now < held.openedAt() + config.maxIntervalMillis());
        return fits ? new OpenBatchState(held.count(), bytes, held.firstEventTime(), held.lastEventTime(), held.openedAt(),
                held.timer(), OpenBatchState.NO_VERSION, config.configVersion()) : null;
    }

    /** Adds a record to a framed batch, closing batches exactly at the limits. */
    private void add(RoutedRecord record, OpenBatchState open, BatchFrame current, Context ctx,
                     Collector<BatchChunk> out, long now) throws Exception {
        long length = record.bytes().length;
        if (current.maxBytes() > 0) {
            if (open != null && open.count() > 0 && open.bytes() + current.recordDelimiter().length + length > current.maxBytes()) {
                flush(ctx, out, current, BatchCloseReason.BYTES);
                frame.update(current);
                open = null;
            }
            if (current.overhead() + length > current.maxBytes()) {
                oversizedRecords.inc();
                batch.update(ctx.getCurrentKey(), append(record, open, current, now));
                flush(ctx, out, current, BatchCloseReason.OVERSIZED);
                return;
            }
        }
        OpenBatchState added = append(record, open, current, now);
        if (current.maxRecords() > 0 && added.count() >= current.maxRecords()) {
            batch.update(ctx.getCurrentKey(), added);
            flush(ctx, out, current, BatchCloseReason.RECORDS);
            return;
        }
        batch.update(ctx.getCurrentKey(), open == null ? schedule(ctx, added, current, now) : added);
    }

    /** Stores the record (event time first) and returns the updated counters; O(1) state operations. */
    private OpenBatchState append(RoutedRecord record, OpenBatchState open, BatchFrame current, long now) throws Exception {
        long index = open == null ? 0 : open.count();
        pages.append(record.laneKey(), index, record.eventTime(), record.bytes(), current == null ? null : current.recordDelimiter());
        recordsBuffered++;
        if (open == null) {
            openBatches++;
            openedAt.merge(secondOf(now), 1, Integer::sum);
            oldestOpenedAt = openedAt.firstKey();
            long bytes = (current == null ? 0 : current.overhead()) + record.bytes().length;
            return new OpenBatchState(1, bytes, record.eventTime(), record.eventTime(), now, 0, OpenBatchState.NO_VERSION,
                    current == null ? OpenBatchState.NO_VERSION : current.configVersion());
        }
        long delimiter = current == null ? 0 : current.recordDelimiter().length;
        return new OpenBatchState(open.count() + 1, open.bytes() + delimiter + record.bytes().length,
                Math.min(open.firstEventTime(), record.eventTime()), Math.max(open.lastEventTime(), record.eventTime()),
                open.openedAt(), open.timer(), open.awaitedVersion(), open.frameVersion());
    }

    /** Registers the batch's (single) processing-time timer if it needs one: its interval deadline, or the next look for held records' config. */
    private OpenBatchState schedule(Context ctx, OpenBatchState open, BatchFrame current, long now) {
        // Config changes need no timer: they reach this job's buffer and are acted on at once.
        long next = current == null ? now + HOLD_CHECK_MILLIS
                : current.maxIntervalMillis() > 0 ? Math.max(open.openedAt() + current.maxIntervalMillis(), now + 1) : 0;
        if (open.timer() != 0 && open.timer() != next && open.timer() != firingTimer) {
            ctx.timerService().deleteProcessingTimeTimer(open.timer());
        }
        if (next > 0) {
            ctx.timerService().registerProcessingTimeTimer(next);
        }
        return open.withTimer(next);
    }

    /**
     * Closes the open batch: streams it to the sink as one or more batches (more only if records
     * were held before their config arrived), then clears its state and timer.
     */
    private void flush(Context ctx, Collector<BatchChunk> out, BatchFrame current, BatchCloseReason reason)
            throws Exception {
        OpenBatchState open = batch.value(ctx.getCurrentKey());
        if (open == null || open.count() == 0) {
            return;
        }
        long lane = ctx.getCurrentKey();
        List<long[]> cuts = cuts(lane, open, current);
        RecordPages.Reader records = pages.read(lane, open.count());
        for (long[] cut : cuts) {
            emit(lane, current, cut, records, out, reason);
        }
        clear(ctx, open, records);
        closed.get(reason).inc(cuts.size());
    }

    /** Batch boundaries as {start, end, first event time, last event time, bytes}; one unless held records overflow. */
    private List<long[]> cuts(long lane, OpenBatchState open, BatchFrame current) throws Exception {
        boolean framed = open.awaitedVersion() == OpenBatchState.NO_VERSION;
        if (framed && (current.maxRecords() == 0 || open.count() <= current.maxRecords())
                && (current.maxBytes() == 0 || open.bytes() <= current.maxBytes() || open.count() == 1)) {
            return List.of(new long[] {0, open.count(), open.firstEventTime(), open.lastEventTime(), open.bytes()});
        }
        List<long[]> cuts = new ArrayList<>();
        long start = 0;
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        RecordPages.Reader records = pages.read(lane, open.count());
        for (long i = 0; i < open.count(); i += records.records()) {
            records.next();
            BatchChunk.Deflated deflated = records.deflated();
            long count = i - start;
            long grown;
            boolean full;
            if (deflated == null) {
                long length = records.length();
                grown = count == 0 ? current.overhead() + length : bytes + current.recordDelimiter().length + length;
                full = count > 0 && (current.maxRecords() > 0 && count >= current.maxRecords()
                        || current.maxBytes() > 0 && grown > current.maxBytes());
            } else {
                // Framed records, delimiters included, appended within the limits: never cut before or inside
                // them (their blocks may refer back to the page before). Only records held for their config,
                // whose delimiters add() could not count, may take such a batch past max_upload_bytes, by those delimiters.
                grown = (count == 0 ? current.overhead() : bytes) + deflated.length();
                full = false;
            }
            if (full) {
                cuts.add(new long[] {start, i, first, last, bytes});
                start = i;
                first = Long.MAX_VALUE;
                last = Long.MIN_VALUE;
                grown = current.overhead() + records.length();
            }
            bytes = grown;
            first = Math.min(first, records.eventTime());
            last = Math.max(last, records.lastEventTime());
        }
        cuts.add(new long[] {start, open.count(), first, last, bytes});
        return cuts;
    }

    private void emit(long lane, BatchFrame current, long[] cut, RecordPages.Reader records, Collector<BatchChunk> out,
                      BatchCloseReason reason) throws Exception {
        Long kept = sequence.value();
        long next = kept == null ? JobLanes.firstSequence(lane) : kept;
        sequence.update(next + 1);
        Instant first = Instant.ofEpochMilli(cut[2]);
        String directory = Destination.directoryFor(current.directoryTemplate(), first.atZone(ZoneOffset.UTC).toLocalDate());
        long count = cut[1] - cut[0];
        BatchDescriptor descriptor = new BatchDescriptor(JobLanes.jobOf(lane), current.configVersion(), next, directory, first, Instant.ofEpochMilli(cut[3]), count, cut[4]);
        ChunkWriter chunks = new ChunkWriter(descriptor, out, chunkBytes);
        chunks.write(current.batchPrefix(), 0, current.batchPrefix().length);
        boolean afterDeflated = false;
        for (long i = cut[0]; i < cut[1]; i += records.records()) {
            records.next();
            BatchChunk.Deflated deflated = records.deflated();
            if (deflated != null) {
                // Its records come framed, delimiters included; cuts() never splits it.
                if (deflateLevel > 0) {
                    chunks.writeDeflated(records.array(), records.offset(), records.length(), deflated);
                } else {
                    inflater().inflate(records.array(), records.offset(), records.length(), deflated, afterDeflated);
                    chunks.write(inflater.content(), 0, deflated.length());
                }
                afterDeflated = true;
                continue;
            }
            afterDeflated = false;
            if (i > cut[0]) {
                chunks.write(current.recordDelimiter(), 0, current.recordDelimiter().length);
            }
            chunks.write(records.array(), records.offset(), records.length());
        }
        chunks.write(current.batchSuffix(), 0, current.batchSuffix().length);
        chunks.finish();
        recordsFlushed.inc(count);
        LOG.info("Closed batch {} of job {}: {} records, {} bytes, reason={}, to {}", next - JobLanes.firstSequence(lane),
                JobLanes.describe(lane), count, cut[4],
                reason.name().toLowerCase(), directory);
    }

    /** Created when first needed: only a buffer restored with deflated pages, for a sink that no longer takes them, needs one. */
    private PageInflater inflater() {
        if (inflater == null) {
            inflater = new PageInflater();
        }
        return inflater;
    }

    private static long secondOf(long millis) {
        return millis - Math.floorMod(millis, 1_000L);
    }

    /** @param read the reader that read the whole batch out, null if it was not read */
    private void clear(Context ctx, OpenBatchState open, RecordPages.Reader read) throws Exception {
        // A firing timer is gone already.
        if (open.timer() != 0 && open.timer() != firingTimer) {
            ctx.timerService().deleteProcessingTimeTimer(open.timer());
        }
        // Batches restored from a checkpoint were not counted by this attempt: never go below zero.
        recordsBuffered = Math.max(0, recordsBuffered - open.count());
        openBatches = Math.max(0, openBatches - 1);
        openedAt.computeIfPresent(secondOf(open.openedAt()), (t, n) -> n == 1 ? null : n - 1);
        oldestOpenedAt = openedAt.isEmpty() ? 0 : openedAt.firstKey();
        pages.clear(ctx.getCurrentKey(), open.count(), read);
        batch.clear(ctx.getCurrentKey());
        frame.clear();
    }
}
