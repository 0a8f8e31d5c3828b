package io.logpush.config.broadcast;

import io.logpush.config.DeploymentPolicy;
import io.logpush.config.JobConfigParser;
import io.logpush.config.guard.GuardSettings;
import io.logpush.config.topic.ConfigRecord;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatusCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Instant;
import java.util.List;

/**
 * The config stage of the pipeline: runs the {@link ConfigProcessor} (validation, versions, the
 * config guard) once, with parallelism one and a constant key (for timers), before anything is
 * broadcast. Emits the {@link ConfigUpdate}s to broadcast and, on {@link #STATUS}, the status
 * records for the status topic. Its processor is checkpointed whole, in a versioned format.
 *
 * <p>Metrics: {@code configRecords}, {@code configApplied}, {@code configRejected} (counters),
 * {@code configVersion} (offset of the latest config record), {@code activeJobs}, {@code heldChanges}
 * (gauges; the alert for a blank or mass-removal config).
 */
public final class ConfigStageFunction extends KeyedProcessFunction<Byte, ConfigTopicRecord, ConfigUpdate>
        implements CheckpointedFunction {

    /** Status records (already encoded) for the config status topic. */
    public static final OutputTag<KeyValueBytes> STATUS = new OutputTag<>("config-status", TypeInformation.of(KeyValueBytes.class));

    private static final long serialVersionUID = 1L;

    private final DeploymentPolicy policy;
    private final GuardSettings settings;
    private transient ConfigProcessor processor;
    private transient ListState<byte[]> checkpointed;
    private transient Counter records;
    private transient Counter applied;
    private transient Counter rejected;
    private transient long latestOffset = -1;
    private transient volatile int activeJobs;
    private transient volatile int heldChanges;

    public ConfigStageFunction(DeploymentPolicy policy, GuardSettings settings) {
        this.policy = policy;
        this.settings = settings;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("config-stage", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        JobConfigParser parser = new JobConfigParser(policy);
        processor = new ConfigProcessor(parser, settings);
        if (context.isRestored()) {
            for (byte[] bytes : checkpointed.get()) {
                processor = ConfigProcessor.restore(parser, settings,
                        SimpleVersionedSerialization.readVersionAndDeSerialize(new ProcessorStateSerializer(), bytes));
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.update(List.of(
                SimpleVersionedSerialization.writeVersionAndSerialize(new ProcessorStateSerializer(), processor.snapshot())));
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup();
        records = group.counter("configRecords");
        applied = group.counter("configApplied");
        rejected = group.counter("configRejected");
        group.gauge("configVersion", () -> latestOffset);
        group.gauge("activeJobs", () -> activeJobs);
        group.gauge("heldChanges", () -> heldChanges);
        publishGauges();
    }

    /** Copies what the gauges show: they are read on the metrics thread, the processor changes on the task thread. */
    private void publishGauges() {
        activeJobs = processor.activeJobs();
        heldChanges = processor.held().size();
    }

    @Override
    public void processElement(ConfigTopicRecord raw, Context ctx, Collector<ConfigUpdate> out) {
        records.inc();
        latestOffset = Math.max(latestOffset, raw.offset());
        ConfigRecord record = ConfigRecordCodec.decode(raw.key(), raw.value(), raw.offset(), raw.timestamp());
        emit(processor.process(record), ctx, out);
        scheduleDecision(ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ConfigUpdate> out) {
        emit(processor.tick(Instant.ofEpochMilli(timestamp)), ctx, out);
        scheduleDecision(ctx);
    }

    private void scheduleDecision(Context ctx) {
        processor.nextDecisionAt().ifPresent(at ->
                ctx.timerService().registerProcessingTimeTimer(Math.max(at.toEpochMilli(), ctx.timerService().currentProcessingTime())));
    }

    private void emit(ConfigProcessor.Output output, Context ctx, Collector<ConfigUpdate> out) {
        output.updates().forEach(out::collect);
        publishGauges();
        for (ConfigStatus status : output.statuses()) {
            if (status instanceof ConfigStatus.JobStatus job) {
                if (job.state() == ConfigStatus.State.REJECTED) {
                    rejected.inc();
                } else if (job.state() == ConfigStatus.State.APPLIED || job.state() == ConfigStatus.State.DELETED) {
                    applied.inc();
                }
            } else if (status instanceof ConfigStatus.RecordRejected) {
                rejected.inc();
            }
            ctx.output(STATUS, new KeyValueBytes(ConfigStatusCodec.key(status), ConfigStatusCodec.encode(status)));
        }
    }
}
