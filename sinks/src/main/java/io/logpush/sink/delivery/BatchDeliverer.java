package io.logpush.sink.delivery;

import io.logpush.sink.Compression;
import io.logpush.sink.StagingArea;
import io.logpush.sink.committer.BatchCommittable;
import io.logpush.sink.committer.BatchCommittableTypeSerializer;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Delivers each job's committed batches to its destination, in order, and isolates a failing
 * destination: its batches are parked (they stay in the staging area; their committables are in
 * this operator's keyed state, so they are part of every checkpoint) and retried with exponential
 * backoff, while every other job keeps flowing and the Flink job never restarts for one customer.
 * After the retention without a successful delivery the job is disabled: its parked batches, and
 * later batches built under the same config version, go to the dead-letter location. A batch built
 * under a newer config version (the customer changed the job) starts delivery afresh.
 *
 * <p>A batch the committer re-emits after a restore is harmless: if it was delivered before the
 * failover, {@link BatchMover} finds it gone from the staging area and does nothing.
 *
 * <p>Keyed by job id. Emits the job's {@link JobHealth} whenever it changes. Per batch: one value
 * read and write, plus one map put while the job is parked; retries read the parked map.
 */
public final class BatchDeliverer extends KeyedProcessFunction<Long, BatchCommittable, JobHealth> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchDeliverer.class);

    private final StagingArea staging;
    private final Compression compression;
    private final DeliveryPolicy policy;

    private transient ValueState<DeliveryState> state;
    private transient MapState<Long, BatchCommittable> parked;
    private transient BatchMover mover;
    transient DeliveryMetrics metrics;
    /** Whether the maximum watermark passed: a bounded input ended, and the operators after this one are finished. */
    private transient boolean inputEnded;

    public BatchDeliverer(StagingArea staging, Compression compression, DeliveryPolicy policy) {
        this.staging = staging;
        this.compression = compression;
        this.policy = policy;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("delivery", DeliveryStateSerializer.TYPE_INFO));
        parked = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("parked-batches", Types.LONG, BatchCommittableTypeSerializer.TYPE_INFO));
        mover = new BatchMover(staging, compression);
        metrics = new DeliveryMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(BatchCommittable batch, Context ctx, Collector<JobHealth> out) throws Exception {
        checkKeyedByJob(batch);
        inputEnded = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        long now = ctx.timerService().currentProcessingTime();
        DeliveryState before = current();
        DeliveryState s = before;
        if (s.state() == JobHealth.State.DISABLED) {
            if (batch.batch().configVersion() <= s.disabledAtVersion()) {
                mover.deadLetter(batch);
                countDeadLetter(batch);
                update(ctx.getCurrentKey(), before, s.deadLettered(), now, out);
                return;
            }
            LOG.info("Job {} has a new config (version {}): delivery resumes", ctx.getCurrentKey(),
                    batch.batch().configVersion());
            s = s.reactivated();
        }
        if (s.hasParked()) {
            if (parked.contains(batch.batch().sequence())) {
                metrics.duplicateBatches.inc(); // re-emitted by the committer after a restore, and still parked
                return;
            }
            // Order: nothing overtakes a parked batch. The pending retry timer takes it along.
            park(batch, ctx.timerService());
            update(ctx.getCurrentKey(), before, s.parked(batch), now, out);
            return;
        }
        try {
            attempt(batch, now);
            update(ctx.getCurrentKey(), before, s.delivered(batch, false), now, out);
        } catch (DestinationException e) {
            park(batch, ctx.timerService());
            update(ctx.getCurrentKey(), before, failed(s.parked(batch), e, now, ctx.timerService()), now, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<JobHealth> out) throws Exception {
        DeliveryState before = current();
        boolean endOfInput = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        inputEnded = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (!before.hasParked() || !endOfInput && before.nextAttempt() != timestamp) {
            return; // superseded by a newer schedule
        }
        long now = ctx.timerService().currentProcessingTime();
        if (!endOfInput && now - before.failingSince() >= policy.retention().toMillis()) {
            update(ctx.getCurrentKey(), before, disable(ctx.getCurrentKey(), before), now, out);
            return;
        }
        DeliveryState s = before;
        for (long sequence : parkedInOrder()) {
            BatchCommittable batch = parked.get(sequence);
            try {
                attempt(batch, now);
            } catch (DestinationException e) {
                update(ctx.getCurrentKey(), before, failed(s, e, now, ctx.timerService()), now, out);
                if (endOfInput) {
                    LOG.error("Input ended with {} batches of job {} parked in {}: they stay there, undelivered",
                            s.parkedBatches(), ctx.getCurrentKey(), staging.root());
                }
                return;
            }
            parked.remove(sequence);
            metrics.parkedNow--;
            s = s.delivered(batch, true);
        }
        LOG.info("Job {} recovered: its parked batches are delivered", ctx.getCurrentKey());
        update(ctx.getCurrentKey(), before, s, now, out);
    }

    private void attempt(BatchCommittable batch, long now) throws DestinationException, IOException {
        BatchMover.Outcome outcome;
        try {
            outcome = mover.deliver(batch);
        } catch (DestinationException e) {
            metrics.deliveryFailures.inc();
            throw e;
        }
        if (outcome == BatchMover.Outcome.ALREADY_MOVED) {
            metrics.duplicateBatches.inc();
        } else if (outcome == BatchMover.Outcome.DELIVERED) {
            metrics.batchesDelivered.inc();
            metrics.recordsDelivered.inc(batch.batch().records());
            metrics.bytesDelivered.inc(batch.writtenBytes());
            metrics.deliveryLatencyMs.update(Math.max(0, now - batch.closedAtMillis()));
        } else {
            countDeadLetter(batch);
        }
    }

    private DeliveryState failed(DeliveryState s, DestinationException e, long now,
                                 TimerService timers) {
        long retryAt = now + policy.backoffMillis(s.failures() + 1);
        long failingSince = s.failingSince() < 0 ? now : s.failingSince();
        // Retry no later than the retention's end, so a job is disabled on time.
        retryAt = Math.min(retryAt, failingSince + policy.retention().toMillis());
        timers.registerProcessingTimeTimer(retryAt);
        LOG.warn("{} (failure {} in a row); {} batches parked, next attempt in {} ms", e.getMessage(), s.failures() + 1,
                s.parkedBatches(), retryAt - now);
        return s.failed(now, e.getMessage(), retryAt);
    }

    private DeliveryState disable(long job, DeliveryState s) throws Exception {
        long version = -1;
        for (long sequence : parkedInOrder()) {
            BatchCommittable batch = parked.get(sequence);
            mover.deadLetter(batch);
            countDeadLetter(batch);
            version = Math.max(version, batch.batch().configVersion());
            metrics.parkedNow--;
        }
        parked.clear();
        metrics.jobsDisabled.inc();
        String message = "disabled: no successful delivery for " + policy.retention() + "; " + s.parkedBatches()
                + " parked batches moved to " + staging.root() + "/dead-letter/" + job + "; last error: " + s.errorMessage();
        LOG.error("Job {} {}", job, message);
        return s.disabled(version, message);
    }

    private void park(BatchCommittable batch, TimerService timers) throws Exception {
        // At the end of a bounded input (the maximum watermark), the parked batches get one last attempt.
        timers.registerEventTimeTimer(Long.MAX_VALUE);
        parked.put(batch.batch().sequence(), batch);
        metrics.batchesParked.inc();
        metrics.parkedNow++;
    }

    private void countDeadLetter(BatchCommittable batch) {
        metrics.batchesDeadLettered.inc();
        metrics.recordsDeadLettered.inc(batch.batch().records());
    }

    private List<Long> parkedInOrder() throws Exception {
        List<Long> sequences = new ArrayList<>();
        parked.keys().forEach(sequences::add);
        Collections.sort(sequences);
        return sequences;
    }

    /** The sink's input must be keyed by job id; this operator relies on it without a shuffle. */
    private void checkKeyedByJob(BatchCommittable batch) {
        TaskInfo task = getRuntimeContext().getTaskInfo();
        int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(batch.batch().jobId(),
                task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
        if (owner != task.getIndexOfThisSubtask()) {
            throw new IllegalStateException(batch.batch() + " reached subtask " + task.getIndexOfThisSubtask()
                    + " but its job belongs to subtask " + owner + ": the batch file sink's input must be keyed by job id"
                    + " with the sink's parallelism");
        }
    }

    private DeliveryState current() throws Exception {
        DeliveryState s = state.value();
        return s == null ? DeliveryState.NEW : s;
    }

    private void update(long job, DeliveryState before, DeliveryState after, long now, Collector<JobHealth> out)
            throws Exception {
        state.update(after);
        boolean wasDegraded = before.state() == JobHealth.State.DEGRADED;
        boolean isDegraded = after.state() == JobHealth.State.DEGRADED;
        metrics.degradedNow += (isDegraded ? 1 : 0) - (wasDegraded ? 1 : 0);
        if (inputEnded) {
            // After a bounded input's end (the final checkpoint's batches), the health sink takes nothing more.
            LOG.info("Health of job {} after the end of input: {}", job, after.health(job, now));
        } else {
            out.collect(after.health(job, now));
        }
    }
}
