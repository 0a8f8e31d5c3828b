package io.logpush.sink.delivery;

import io.logpush.sink.Compression;
import io.logpush.sink.JobLanes;
import io.logpush.sink.StagingArea;
import io.logpush.sink.committer.BatchCommittable;
import io.logpush.sink.committer.BatchCommittableTypeSerializer;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers each job's committed batches to its destination, in order, and isolates a failing,
 * slow or hanging destination. Deliveries run on their own threads, one at a time per job and up
 * to {@link DeliveryPolicy#concurrentAttempts()} per subtask, and report back through the task's
 * mailbox, so the task thread never waits for a destination: records, timers and checkpoints
 * keep flowing for every other job. An attempt without an answer after
 * {@link DeliveryPolicy#attemptTimeout()} counts as failed; it keeps its job's turn until it ends,
 * so two attempts never race for one batch.
 *
 * <p>Every batch not yet delivered sits in this operator's keyed state (its object stays in the
 * staging area), so it is part of every checkpoint, including the one being attempted. A failing
 * job's batches are parked and retried with exponential backoff while nothing overtakes them.
 * After the retention without a successful delivery the job is disabled: its parked batches, and
 * later batches built under the same config version, go to the dead-letter location. A batch built
 * under a newer config version (the customer changed the job) starts delivery afresh.
 *
 * <p>A batch the committer re-emits after a restore is harmless: if it was delivered before the
 * failover, {@link BatchMover} finds it gone from the staging area and does nothing. Batches
 * restored mid-attempt are attempted again when the job's next batch or its attempt's deadline
 * timer comes, whichever is first.
 *
 * <p>Keyed by the job's lane ({@link JobLanes}: the job id, unless a hot job is spread over several
 * lanes, each delivered in its own order). Emits the lane's {@link JobHealth} whenever it changes. Per batch: a value
 * read and two writes, a map put, a one-entry scan and a remove.
 */
public final class BatchDeliverer extends AbstractStreamOperator<JobHealth>
        implements OneInputStreamOperator<BatchCommittable, JobHealth>, Triggerable<Long, VoidNamespace>, BoundedOneInput {

    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchDeliverer.class);
    private static final String QUEUED_STATE = "parked-batches";

    private final StagingArea staging;
    private final Compression compression;
    private final DeliveryPolicy policy;

    private transient ValueState<DeliveryState> state;
    /** The job's batches not yet delivered, by sequence: the one being attempted and those waiting. */
    private transient MapState<Long, BatchCommittable> queued;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient MailboxExecutor mailbox;
    private transient ExecutorService threads;
    private transient BatchMover mover;
    /** Each job's running attempt, hung ones included. */
    private transient Map<Long, Attempt> attempts;
    /** Jobs with a batch to attempt that wait for a free slot, in arrival order. */
    private transient Set<Long> waiting;
    /** Attempts running and not past their deadline: what {@link DeliveryPolicy#concurrentAttempts()} caps. */
    private transient int slotsInUse;
    transient DeliveryMetrics metrics;
    /** Whether the maximum watermark passed: a bounded input ended, and the operators after this one are finished. */
    private transient boolean inputEnded;

    public BatchDeliverer(StagingArea staging, Compression compression, DeliveryPolicy policy) {
        this.staging = staging;
        this.compression = compression;
        this.policy = policy;
    }

    @Override
    public void setMailboxExecutor(MailboxExecutor mailboxExecutor) {
        super.setMailboxExecutor(mailboxExecutor);
        this.mailbox = mailboxExecutor;
    }

    @Override
    public void open() throws Exception {
        super.open();
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("delivery", DeliveryStateSerializer.TYPE_INFO));
        // The state and timer names are those of the KeyedProcessFunction this operator replaced: old savepoints restore.
        queued = getRuntimeContext().getMapState(
                new MapStateDescriptor<>(QUEUED_STATE, Types.LONG, BatchCommittableTypeSerializer.TYPE_INFO));
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        mover = new BatchMover(staging, compression);
        threads = Executors.newCachedThreadPool(new ExecutorThreadFactory(
                "batch-delivery-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()));
        attempts = new HashMap<>();
        waiting = new LinkedHashSet<>();
        metrics = new DeliveryMetrics(getRuntimeContext().getMetricGroup(), attempts::size, () -> slotsInUse);
    }

    @Override
    public void processElement(StreamRecord<BatchCommittable> element) throws Exception {
        BatchCommittable batch = element.getValue();
        long job = batch.batch().laneKey();
        checkKeyedByLane(batch);
        inputEnded = timers.currentWatermark() == Long.MAX_VALUE;
        long now = now();
        DeliveryState before = current();
        DeliveryState s = before;
        if (s.state() == JobHealth.State.DISABLED) {
            if (batch.batch().configVersion() <= s.disabledAtVersion()) {
                mover.deadLetter(batch);
                countDeadLetter(batch);
                update(job, before, s.deadLettered(), now);
                return;
            }
            LOG.info("Job {} has a new config (version {}): delivery resumes", JobLanes.describe(job), batch.batch().configVersion());
            s = s.reactivated();
        }
        if (s.hasParked() && queued.contains(batch.batch().sequence())) {
            metrics.duplicateBatches.inc(); // re-emitted by the committer after a restore, and still queued
            return;
        }
        queued.put(batch.batch().sequence(), batch);
        metrics.queuedNow++;
        if (s.isFailing() && !inputEnded) {
            // Nothing overtakes a parked batch: the pending retry takes this one along.
            metrics.batchesParked.inc();
            update(job, before, s.parked(batch), now);
            return;
        }
        store(before, s.parked(batch));
        // A job that had nothing queued has only this batch queued: no scan of its queue needed.
        // With many jobs most batches find their job's queue empty, and each scan was a RocksDB seek
        // past the tombstones of the job's delivered batches.
        deliverQueued(job, now, s.hasParked() ? null : new ArrayDeque<>(List.of(batch.batch().sequence())));
    }

    /** A deadline or retry of the timer's job is due, or its batches were restored without a running attempt. */
    @Override
    public void onProcessingTime(InternalTimer<Long, VoidNamespace> timer) throws Exception {
        long job = timer.getKey();
        long now = now();
        DeliveryState before = current();
        Attempt attempt = attempts.get(job);
        if (attempt != null && !attempt.hung) {
            if (now >= attempt.deadline) {
                declareHung(attempt, before, now);
            }
            return; // otherwise the attempt's end decides what comes next
        }
        if (!before.hasParked() || before.isFailing() && timer.getTimestamp() != before.nextAttempt()) {
            return; // nothing left, or superseded by a newer schedule
        }
        if (before.isFailing() && now - before.failingSince() >= policy.retention().toMillis()) {
            update(job, before, disable(job, before), now);
        } else if (attempt != null) {
            update(job, before, failed(before, attempt.stillHanging(policy.attemptTimeout().toMillis()), now), now);
        } else if (waiting.contains(job)) {
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + policy.attemptTimeout().toMillis());
        } else {
            deliverQueued(job, now);
        }
    }

    /** Registered by earlier versions for the end of input, which {@link #endInput()} handles now. */
    @Override
    public void onEventTime(InternalTimer<Long, VoidNamespace> timer) {
    }

    /**
     * A bounded input ended, and no timer fires after this: the running attempts finish here, and
     * every job with batches left gets one last attempt, parked ones included.
     */
    @Override
    public void endInput() throws Exception {
        inputEnded = true;
        for (Attempt attempt : new ArrayList<>(attempts.values())) {
            if (!attempt.hung) {
                setCurrentKey(attempt.job);
                awaitNow(attempt);
            } else {
                LOG.error("Input ended while a delivery of job {} hangs: its batches stay in {}, undelivered",
                        JobLanes.describe(attempt.job), staging.root());
            }
        }
        waiting.clear();
        List<Long> jobs;
        try (var keys = this.<Long>getKeyedStateBackend().getKeys(QUEUED_STATE, VoidNamespace.INSTANCE)) {
            jobs = keys.toList();
        }
        for (long job : jobs) {
            setCurrentKey(job);
            deliverQueued(job, now());
        }
    }

    @Override
    public void close() throws Exception {
        if (threads != null) {
            threads.shutdownNow(); // a hung attempt's batch is in the last checkpoint and is attempted again after a restore
        }
        super.close();
    }

    /**
     * Starts delivering the job's first queued batch, if it has no attempt running and a slot is
     * free. After the end of input the attempts run to their end here, one after another.
     */
    private void deliverQueued(long job, long now) throws Exception {
        deliverQueued(job, now, null);
    }

    /** The same, knowing the order of the batches still queued (from a previous attempt), if not null. */
    private void deliverQueued(long job, long now, ArrayDeque<Long> known) throws Exception {
        if (attempts.containsKey(job)) {
            return;
        }
        if (inputEnded) {
            for (Attempt attempt = start(job, now, known); attempt != null && awaitNow(attempt);
                 attempt = start(job, now(), attempt.rest)) {
                // delivered, and more are queued
            }
            return;
        }
        if (slotsInUse >= policy.concurrentAttempts()) {
            if (waiting.add(job)) {
                // A watchdog, so that after a restore the job does not wait for its next batch.
                timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + policy.attemptTimeout().toMillis());
            }
            return;
        }
        Attempt attempt = start(job, now, known);
        if (attempt != null) {
            attempt.result.whenComplete((outcome, error) -> {
                try {
                    mailbox.execute(() -> completed(attempt, true), "end of delivery of batch %s of job %s",
                            attempt.batch.batch().sequence(), job);
                } catch (RejectedExecutionException e) {
                    LOG.debug("Delivery of {} ended after the task closed; it is attempted again after the restore",
                            attempt.batch.batch());
                }
            });
        }
    }

    /**
     * Starts an attempt on the job's first queued batch. The order of the others is handed from
     * attempt to attempt, so that a backlog costs one scan, not one per batch; batches queued
     * meanwhile have higher sequences and are found by the next scan.
     */
    private Attempt start(long job, long now, ArrayDeque<Long> known) throws Exception {
        ArrayDeque<Long> order = known == null || known.isEmpty() ? queuedInOrder() : known;
        Long first = order.pollFirst();
        if (first == null) {
            return null;
        }
        BatchCommittable batch = queued.get(first);
        CompletableFuture<BatchMover.Outcome> result = new CompletableFuture<>();
        threads.execute(() -> {
            try {
                result.complete(mover.deliver(batch));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        Attempt attempt = new Attempt(job, batch, now + policy.attemptTimeout().toMillis(), result, order);
        attempts.put(job, attempt);
        slotsInUse++;
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, attempt.deadline);
        return attempt;
    }

    /** Waits for an attempt up to its deadline; true if it delivered and more batches are queued. */
    private boolean awaitNow(Attempt attempt) throws Exception {
        try {
            attempt.result.get(Math.max(1, attempt.deadline - now()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            declareHung(attempt, current(), now());
            return false;
        } catch (ExecutionException e) {
            // completed() reads the cause
        }
        return completed(attempt, false);
    }

    /**
     * An attempt ended (in the task thread, via the mailbox or {@link #awaitNow}); true if it
     * delivered and more batches are queued.
     */
    private boolean completed(Attempt attempt, boolean continueWithNext) throws Exception {
        if (attempts.get(attempt.job) != attempt) {
            return false; // already handled
        }
        attempts.remove(attempt.job);
        setCurrentKey(attempt.job); // timers and state below are the job's
        if (!attempt.hung) {
            slotsInUse--;
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, attempt.deadline);
        }
        long now = now();
        DeliveryState before = current();
        boolean more = false;
        Throwable error = attempt.error();
        long sequence = attempt.batch.batch().sequence();
        if (error instanceof DestinationException e) {
            if (!attempt.hung) { // a hung attempt's failure was counted at its deadline
                metrics.deliveryFailures.inc();
                update(attempt.job, before, failed(before, e, now), now);
            }
        } else if (error != null) {
            throw new IllegalStateException("the staging area failed while delivering " + attempt.batch.batch(), error);
        } else if (!queued.contains(sequence)) {
            LOG.warn("{} reached {} after its hung attempt's job was disabled: it is also in the dead-letter location",
                    attempt.batch.batch(), attempt.batch.destinationPath());
        } else {
            count(attempt.batch, attempt.result.get(), now);
            queued.remove(sequence);
            metrics.queuedNow--;
            DeliveryState after = before.delivered(attempt.batch, true);
            if (before.isFailing() && !after.isFailing()) {
                LOG.info("Job {} recovered: its parked batches are delivered", JobLanes.describe(attempt.job));
            }
            update(attempt.job, before, after, now);
            more = after.hasParked();
        }
        if (more && continueWithNext) {
            deliverQueued(attempt.job, now, attempt.rest);
        }
        freeSlots();
        return more;
    }

    /**
     * Gives free slots to the jobs waiting for one. Not after the end of input: attempts then run
     * one after another, and {@link #endInput} visits every job with queued batches itself.
     */
    private void freeSlots() throws Exception {
        while (!inputEnded && !waiting.isEmpty() && slotsInUse < policy.concurrentAttempts()) {
            Iterator<Long> first = waiting.iterator();
            long job = first.next();
            first.remove();
            setCurrentKey(job);
            deliverQueued(job, now());
        }
    }

    private void declareHung(Attempt attempt, DeliveryState before, long now) throws Exception {
        attempt.hung = true;
        attempt.rest = null; // hung attempts may be many: they keep no order
        slotsInUse--;
        metrics.deliveryFailures.inc();
        update(attempt.job, before, failed(before, attempt.noAnswer(policy.attemptTimeout().toMillis()), now), now);
        freeSlots();
    }

    private void count(BatchCommittable batch, BatchMover.Outcome outcome, long now) {
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

    private DeliveryState failed(DeliveryState s, DestinationException e, long now) {
        if (!s.isFailing()) {
            metrics.batchesParked.inc(s.parkedBatches());
        }
        long retryAt = now + policy.backoffMillis(s.failures() + 1);
        long failingSince = s.failingSince() < 0 ? now : s.failingSince();
        // Retry no later than the retention's end, so a job is disabled on time.
        retryAt = Math.min(retryAt, failingSince + policy.retention().toMillis());
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, retryAt);
        if (inputEnded) {
            LOG.error("Input ended with {} batches of a job parked in {}: they stay there, undelivered ({})",
                    s.parkedBatches(), staging.root(), e.getMessage());
        } else {
            LOG.warn("{} (failure {} in a row); {} batches parked, next attempt in {} ms", e.getMessage(),
                    s.failures() + 1, s.parkedBatches(), retryAt - now);
        }
        return s.failed(now, e.getMessage(), retryAt);
    }

    private DeliveryState disable(long job, DeliveryState s) throws Exception {
        long version = -1;
        for (long sequence : queuedInOrder()) {
            BatchCommittable batch = queued.get(sequence);
            mover.deadLetter(batch);
            countDeadLetter(batch);
            version = Math.max(version, batch.batch().configVersion());
            metrics.queuedNow--;
        }
        queued.clear();
        metrics.jobsDisabled.inc();
        String message = "disabled: no successful delivery for " + policy.retention() + "; " + s.parkedBatches()
                + " parked batches moved to " + staging.root() + "/dead-letter/" + JobLanes.jobOf(job) + "; last error: " + s.errorMessage();
        LOG.error("Job {} {}", JobLanes.describe(job), message);
        return s.disabled(version, message);
    }

    private void countDeadLetter(BatchCommittable batch) {
        metrics.batchesDeadLettered.inc();
        metrics.recordsDeadLettered.inc(batch.batch().records());
    }

    private ArrayDeque<Long> queuedInOrder() throws Exception {
        List<Long> sequences = new ArrayList<>();
        queued.keys().forEach(sequences::add);
        sequences.sort(null);
        return new ArrayDeque<>(sequences);
    }

    /** The sink's input must be keyed by the job's lane ({@link JobLanes}); this operator relies on it without a shuffle. */
    private void checkKeyedByLane(BatchCommittable batch) {
        TaskInfo task = getRuntimeContext().getTaskInfo();
        int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(batch.batch().laneKey(),
                task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
        if (owner != task.getIndexOfThisSubtask()) {
            throw new IllegalStateException(batch.batch() + " reached subtask " + task.getIndexOfThisSubtask()
                    + " but its lane belongs to subtask " + owner + ": the batch file sink's input must be keyed by the job's lane"
                    + " with the sink's parallelism");
        }
    }

    /** Attempts running and not past their deadline. */
    int deliveriesRunning() {
        return slotsInUse;
    }

    private long now() {
        return getProcessingTimeService().getCurrentProcessingTime();
    }

    private DeliveryState current() throws Exception {
        DeliveryState s = state.value();
        return s == null ? DeliveryState.NEW : s;
    }

    /** Stores a change customers need not see (a batch queued behind a healthy attempt). */
    private void store(DeliveryState before, DeliveryState after) throws Exception {
        state.update(after);
        boolean wasDegraded = before.state() == JobHealth.State.DEGRADED;
        boolean isDegraded = after.state() == JobHealth.State.DEGRADED;
        metrics.degradedNow += (isDegraded ? 1 : 0) - (wasDegraded ? 1 : 0);
    }

    private void update(long job, DeliveryState before, DeliveryState after, long now) throws Exception {
        store(before, after);
        if (inputEnded) {
            // After a bounded input's end (the final checkpoint's batches), the health sink takes nothing more.
            LOG.info("Health of job {} after the end of input: {}", JobLanes.describe(job), after.health(job, now));
        } else {
            output.collect(new StreamRecord<>(after.health(job, now)));
        }
    }

    /** One delivery of a job's first queued batch, running on a delivery thread. */
    private static final class Attempt {
        final long job;
        final BatchCommittable batch;
        final long deadline;
        final CompletableFuture<BatchMover.Outcome> result;
        /** The sequences queued after this batch, in order, for the next attempt; null if unknown. */
        ArrayDeque<Long> rest;
        /** Past its deadline: counted as failed, while it still holds its job's turn. */
        boolean hung;

        Attempt(long job, BatchCommittable batch, long deadline, CompletableFuture<BatchMover.Outcome> result,
                ArrayDeque<Long> rest) {
            this.job = job;
            this.batch = batch;
            this.deadline = deadline;
            this.result = result;
            this.rest = rest;
        }

        Throwable error() {
            try {
                result.getNow(null);
                return null;
            } catch (CompletionException e) {
                return e.getCause();
            }
        }

        DestinationException noAnswer(long timeoutMillis) {
            return new DestinationException(batch.destinationPath(), "no answer within " + timeoutMillis + " ms");
        }

        DestinationException stillHanging(long timeoutMillis) {
            return new DestinationException(batch.destinationPath(), "no answer within " + timeoutMillis
                    + " ms, and the attempt has not ended since");
        }
    }
}
