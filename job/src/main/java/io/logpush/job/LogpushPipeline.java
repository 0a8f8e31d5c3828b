package io.logpush.job;

import io.logpush.config.broadcast.ConfigStageFunction;
import io.logpush.config.broadcast.ConfigTopicRecord;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.JobTable;
import io.logpush.config.broadcast.KeyValueBytes;
import io.logpush.job.functions.EventRouter;
import io.logpush.job.functions.FrameCompiler;
import io.logpush.job.functions.JobBuffer;
import io.logpush.job.functions.JobBufferOperator;
import io.logpush.job.functions.OwnerPrefilter;
import io.logpush.job.records.DeadLetter;
import io.logpush.job.records.JobFrameUpdate;
import io.logpush.job.records.RawEvent;
import io.logpush.job.records.RoutedRecord;
import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchFileSink;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the Logpush pipeline from the sources and sinks it is given, so tests wire their own:
 *
 * <pre>
 *  config topic ─► Config stage (p=1: validate, version, guard) ──► status topic
 *                                │ ConfigUpdate
 *                           ┌────┴──────────────┐
 *                  (broadcast)            Compile batch frames (p=1)
 *                           ▼                   ▼ frames (keyBy job lane)
 *  events ─► Prefilter ─► Router ─(keyBy job lane)─► Per-job buffer (RocksDB) ─► Batch file sink (exactly once)
 *           (chained)       │ dead letters, hot jobs' lane frames (to the buffers)
 *                           ▼
 *                        DLQ topic
 * </pre>
 */
public final class LogpushPipeline {

    private LogpushPipeline() {}

    public static void build(StreamExecutionEnvironment env, Source<RawEvent, ?, ?> events,
                             Source<ConfigTopicRecord, ?, ?> configs, Sink<BatchChunk> batches,
                             Sink<DeadLetter> deadLetters, Sink<KeyValueBytes> configStatus, PipelineSettings settings) {
        // Every record type here is immutable and no operator changes or reuses a record it emitted,
        // so chained operators may hand records on as they are. Without this Flink copies each record
        // between chained operators, and it copies a sink's committables by serializing them.
        env.getConfig().enableObjectReuse();
        SingleOutputStreamOperator<ConfigUpdate> updates = env
                .fromSource(configs, WatermarkStrategy.noWatermarks(), "Config topic")
                .uid("config-source").setParallelism(1)
                .keyBy(record -> (byte) 0, Types.BYTE)
                .process(new ConfigStageFunction(settings.policy(), settings.guard()))
                .uid("config-stage").name("Config stage (validate, version, guard)").setParallelism(1);
        updates.getSideOutput(ConfigStageFunction.STATUS)
                .sinkTo(configStatus).uid("config-status-sink").name("Config status topic").setParallelism(1);
        BroadcastStream<ConfigUpdate> broadcast = updates.broadcast(JobTable.STATE);

        SingleOutputStreamOperator<RoutedRecord> routed = env
                .fromSource(events, WatermarkStrategy.noWatermarks(), "Events topic").uid("events-source")
                // Chained to the source: events of owners without any config never cross to the router.
                .filter(new OwnerPrefilter(settings.bootstrap())).uid("owner-prefilter").name("Drop owners without a config")
                .connect(broadcast)
                .process(new EventRouter(settings.policy(), settings.guard(), settings.bootstrap(), settings.maxEventBytes(),
                        settings.hotJobs(env.getParallelism(), bufferKeyGroups(env))))
                .uid("router").name("Route, filter, sample, encode");
        routed.getSideOutput(EventRouter.DEAD_LETTERS).sinkTo(deadLetters).uid("dlq-sink").name("Dead-letter topic");

        // Each job's frame is compiled once and goes, like the job's records, to the buffer that owns the job's
        // lane 0; a hot job's further lanes get theirs from the routers that spread the job over them.
        KeyedStream<JobFrameUpdate, Long> frames = updates
                .map(new FrameCompiler(settings.policy())).uid("frame-compiler").name("Compile batch frames").setParallelism(1)
                .union(routed.getSideOutput(EventRouter.LANE_FRAMES))
                .keyBy(JobFrameUpdate::laneKey);
        routed.keyBy(RoutedRecord::laneKey)
                .connect(frames)
                .transform("Per-job batch buffer", TypeInformation.of(BatchChunk.class),
                        new JobBufferOperator(new JobBuffer(settings.policy(), settings.chunkBytes(), chunkDeflateLevel(batches))))
                .uid("job-buffer").name("Per-job batch buffer")
                .sinkTo(batches).uid("batch-sink").name("Batch file sink");
    }

    /** The buffers' max parallelism, which decides the key group, hence the buffer instance, of each job lane. */
    private static int bufferKeyGroups(StreamExecutionEnvironment env) {
        int configured = env.getConfig().getMaxParallelism();
        return configured > 0 ? configured : KeyGroupRangeAssignment.computeDefaultMaxParallelism(env.getParallelism());
    }

    /** Our file sink takes pages deflated at its gzip level; any other sink takes content only. */
    private static int chunkDeflateLevel(Sink<BatchChunk> batches) {
        return batches instanceof BatchFileSink sink ? sink.chunkDeflateLevel() : 0;
    }
}
