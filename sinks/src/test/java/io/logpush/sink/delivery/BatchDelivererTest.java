package io.logpush.sink.delivery;

import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.BatchFileSink;
import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.StagingArea;
import io.logpush.sink.committer.BatchCommittable;
import io.logpush.sink.committer.BatchFileCommitter;
import io.logpush.sink.testutils.Batches;
import io.logpush.sink.testutils.FakeCommitRequest;
import io.logpush.sink.testutils.SinkMetrics;
import io.logpush.sink.writer.BatchFileWriter;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery, parking, backoff, retention and health, with real staged objects on the local file
 * system and a destination broken the way root cannot be stopped: its directory replaced by a file.
 */
class BatchDelivererTest {

    private static final DeliveryPolicy POLICY = DeliveryPolicy.DEFAULT.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .withRetention(Duration.ofSeconds(30)).withAttempts(Duration.ofSeconds(10), 2);

    @TempDir
    Path root;

    private KeyedOneInputStreamOperatorTestHarness<Long, BatchCommittable, JobHealth> harness;
    private BatchDeliverer deliverer;

    @BeforeEach
    void setUp() throws Exception {
        harness = open(null);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private KeyedOneInputStreamOperatorTestHarness<Long, BatchCommittable, JobHealth> open(OperatorSubtaskState restored)
            throws Exception {
        deliverer = new BatchDeliverer(staging(), Compression.GZIP, POLICY);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(deliverer,
                (BatchCommittable c) -> c.batch().jobId(), Types.LONG);
        h.setup();
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        h.setProcessingTime(1_000);
        return h;
    }

    private StagingArea staging() {
        return Batches.staging(root);
    }

    /** A batch written and committed to the staging area, as the sink's first two steps leave it. */
    private BatchCommittable staged(long job, long sequence, long configVersion) throws Exception {
        BatchDescriptor d = Batches.descriptor(root.resolve("dest-" + job), job, sequence, 5);
        d = new BatchDescriptor(job, configVersion, sequence, d.directory(), d.firstRecord(), d.lastRecord(), d.records(), d.bytes());
        BatchFileWriter writer = new BatchFileWriter(Compression.GZIP, BatchFileSink.DEFAULT_GZIP_LEVEL, staging(), new RecoverableWriters(), () -> 500L, 2,
                SinkMetrics::writer);
        for (var chunk : Batches.chunks(d, 64)) {
            writer.write(chunk, null);
        }
        BatchCommittable committable = writer.prepareCommit().iterator().next();
        new BatchFileCommitter(staging(), Compression.GZIP, new RecoverableWriters(), SinkMetrics.committer(), () -> 600L)
                .commit(List.<Committer.CommitRequest<BatchCommittable>>of(new FakeCommitRequest<>(committable)));
        return committable;
    }

    private void deliver(BatchCommittable batch) throws Exception {
        harness.processElement(new StreamRecord<>(batch));
        settle();
    }

    private void advanceTo(long time) throws Exception {
        harness.setProcessingTime(time);
        settle();
    }

    /** Runs the task's mailbox until no delivery is running: each one ends with a mail. */
    private void settle() throws Exception {
        while (deliverer.deliveriesRunning() > 0) {
            harness.getTaskMailbox().take(TaskMailbox.MIN_PRIORITY).run();
        }
    }

    private Path destination(BatchCommittable batch) {
        return Path.of(java.net.URI.create(batch.destinationPath()));
    }

    private Path stagedFile(BatchCommittable batch) {
        return Batches.local(new org.apache.flink.core.fs.Path(batch.stagedPath()));
    }

    /** Breaks job {@code job}'s destination: its directory becomes a regular file. */
    private void breakDestination(long job) throws Exception {
        Path dir = root.resolve("dest-" + job);
        if (Files.exists(dir)) {
            Files.move(dir, root.resolve("dest-" + job + ".away"));
        }
        Files.writeString(dir, "not a directory");
    }

    private void repairDestination(long job) throws Exception {
        Path dir = root.resolve("dest-" + job);
        Files.delete(dir);
        if (Files.exists(root.resolve("dest-" + job + ".away"))) {
            Files.move(root.resolve("dest-" + job + ".away"), dir);
        }
    }

    private List<JobHealth> health(long job) {
        return harness.extractOutputValues().stream().filter(h -> h.jobId() == job).toList();
    }

    private JobHealth latestHealth(long job) {
        List<JobHealth> all = health(job);
        assertThat(all).as("health of job %d", job).isNotEmpty();
        return all.get(all.size() - 1);
    }

    @Test
    void deliversEachBatchToItsDestinationAndPublishesHealth() throws Exception {
        BatchCommittable first = staged(1, 0, 1);
        BatchCommittable second = staged(1, 1, 1);
        deliver(first);
        deliver(second);
        assertThat(Batches.gunzip(destination(second))).isEqualTo(Batches.record(1, 1, 0) + Batches.record(1, 1, 1)
                + Batches.record(1, 1, 2) + Batches.record(1, 1, 3) + Batches.record(1, 1, 4));
        assertThat(destination(first)).exists();
        assertThat(stagedFile(first)).doesNotExist();
        assertThat(stagedFile(second)).doesNotExist();
        JobHealth health = latestHealth(1);
        assertThat(health.state()).isEqualTo(JobHealth.State.ACTIVE);
        assertThat(health.lastComplete()).isEqualTo(second.batch().lastRecord());
        assertThat(health.deliveredBatches()).isEqualTo(2);
        assertThat(health.lastError()).isNull();
        assertThat(deliverer.metrics.batchesDelivered.getCount()).isEqualTo(2);
        assertThat(deliverer.metrics.recordsDelivered.getCount()).isEqualTo(10);
    }

    @Test
    void aFailingDestinationParksItsBatchesWhileOtherJobsFlowAndNothingOvertakesThem() throws Exception {
        breakDestination(1);
        BatchCommittable a0 = staged(1, 0, 1);
        BatchCommittable b0 = staged(2, 0, 1);
        BatchCommittable a1 = staged(1, 1, 1);
        BatchCommittable b1 = staged(2, 1, 1);
        deliver(a0);
        deliver(b0);
        deliver(a1);
        deliver(b1);

        assertThat(destination(b0)).exists();
        assertThat(destination(b1)).exists();
        assertThat(stagedFile(a0)).as("parked in the staging area").exists();
        assertThat(stagedFile(a1)).exists();
        JobHealth degraded = latestHealth(1);
        assertThat(degraded.state()).isEqualTo(JobHealth.State.DEGRADED);
        assertThat(degraded.parkedBatches()).isEqualTo(2);
        assertThat(degraded.parkedBytes()).isEqualTo(a0.writtenBytes() + a1.writtenBytes());
        assertThat(degraded.lastError()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(degraded.errorMessage()).startsWith("delivery to " + a0.destinationPath() + " failed: ");
        assertThat(latestHealth(2).state()).isEqualTo(JobHealth.State.ACTIVE);
        assertThat(deliverer.metrics.queuedNow).isEqualTo(2);
        assertThat(deliverer.metrics.degradedNow).isEqualTo(1);

        // Repaired, but the retry is not due yet: a new batch waits behind the parked ones.
        repairDestination(1);
        BatchCommittable a2 = staged(1, 2, 1);
        deliver(a2);
        assertThat(destination(a2)).as("nothing overtakes a parked batch").doesNotExist();
        assertThat(latestHealth(1).parkedBatches()).isEqualTo(3);

        advanceTo(2_000);
        assertThat(destination(a0)).exists();
        assertThat(destination(a1)).exists();
        assertThat(destination(a2)).exists();
        JobHealth recovered = latestHealth(1);
        assertThat(recovered.state()).isEqualTo(JobHealth.State.ACTIVE);
        assertThat(recovered.parkedBatches()).isZero();
        assertThat(recovered.parkedBytes()).isZero();
        assertThat(recovered.lastError()).as("cleared after a success").isNull();
        assertThat(recovered.errorMessage()).isNull();
        assertThat(recovered.lastComplete()).isEqualTo(a2.batch().lastRecord());
        assertThat(recovered.deliveredBatches()).isEqualTo(3);
        assertThat(deliverer.metrics.queuedNow).isZero();
        assertThat(deliverer.metrics.degradedNow).isZero();
        assertThat(deliverer.metrics.deliveryFailures.getCount()).isEqualTo(1);
    }

    @Test
    void aBacklogIsDeliveredInOrderOnceItsDestinationRecovers() throws Exception {
        breakDestination(1);
        List<BatchCommittable> backlog = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Spaced so that a hash map (the heap backend's map state) iterates them out of order.
            backlog.add(staged(1, i * 61L, 1));
            deliver(backlog.get(i));
        }
        assertThat(latestHealth(1).parkedBatches()).isEqualTo(40);
        repairDestination(1);
        int before = health(1).size();
        advanceTo(2_000);

        // One health record per delivery, in sequence order.
        List<Instant> delivered = health(1).subList(before, health(1).size()).stream().map(JobHealth::lastComplete).toList();
        assertThat(delivered).hasSize(40).doesNotHaveDuplicates().isSorted();
        assertThat(backlog).allSatisfy(batch -> assertThat(destination(batch)).exists());
        assertThat(latestHealth(1).state()).isEqualTo(JobHealth.State.ACTIVE);
        assertThat(latestHealth(1).parkedBatches()).isZero();
    }

    @Test
    void retriesBackOffExponentiallyUpToTheMaximum() throws Exception {
        breakDestination(1);
        deliver(staged(1, 0, 1));
        // Failures at 1 s; retries due at 2 s, 4 s, 8 s, then every 4 s (the maximum).
        long[] due = {2_000, 4_000, 8_000, 12_000, 16_000};
        for (long at : due) {
            int before = health(1).size();
            advanceTo(at - 1);
            assertThat(health(1)).as("no attempt before %d", at).hasSize(before);
            advanceTo(at);
            assertThat(health(1)).as("an attempt at %d", at).hasSize(before + 1);
            assertThat(latestHealth(1).lastError()).isEqualTo(Instant.ofEpochMilli(at));
        }
        assertThat(deliverer.metrics.deliveryFailures.getCount()).isEqualTo(1 + due.length);
    }

    @Test
    void afterTheRetentionTheJobIsDisabledAndItsBatchesDeadLetteredUntilItsConfigChanges() throws Exception {
        breakDestination(1);
        BatchCommittable a0 = staged(1, 0, 1);
        BatchCommittable a1 = staged(1, 1, 1);
        deliver(a0);
        deliver(a1);
        advanceTo(1_000 + POLICY.retention().toMillis() - 1);
        assertThat(latestHealth(1).state()).isEqualTo(JobHealth.State.DEGRADED);
        advanceTo(1_000 + POLICY.retention().toMillis());

        JobHealth disabled = latestHealth(1);
        assertThat(disabled.state()).isEqualTo(JobHealth.State.DISABLED);
        assertThat(disabled.parkedBatches()).isZero();
        assertThat(disabled.deadLetteredBatches()).isEqualTo(2);
        assertThat(disabled.errorMessage()).contains("disabled: no successful delivery for PT30S")
                .contains("2 parked batches moved to " + staging().root() + "/dead-letter/1");
        Path deadLetter = Batches.local(staging().deadLetterPath(a0.batch(), Compression.GZIP));
        assertThat(Batches.gunzip(deadLetter)).startsWith(Batches.record(1, 0, 0));
        assertThat(Batches.local(staging().deadLetterPath(a1.batch(), Compression.GZIP))).exists();
        assertThat(stagedFile(a0)).doesNotExist();
        assertThat(deliverer.metrics.jobsDisabled.getCount()).isEqualTo(1);

        // Same config version: straight to the dead-letter location, even though the destination works again.
        repairDestination(1);
        BatchCommittable a2 = staged(1, 2, 1);
        deliver(a2);
        assertThat(destination(a2)).doesNotExist();
        assertThat(Batches.local(staging().deadLetterPath(a2.batch(), Compression.GZIP))).exists();
        assertThat(latestHealth(1).deadLetteredBatches()).isEqualTo(3);

        // The customer changed the job: delivery resumes.
        BatchCommittable a3 = staged(1, 3, 2);
        deliver(a3);
        assertThat(destination(a3)).exists();
        JobHealth resumed = latestHealth(1);
        assertThat(resumed.state()).isEqualTo(JobHealth.State.ACTIVE);
        assertThat(resumed.errorMessage()).isNull();
        assertThat(deliverer.metrics.recordsDeadLettered.getCount()).isEqualTo(15);
    }

    @Test
    void atTheEndOfInputEveryWaitingJobIsDeliveredWhateverTheSlots() throws Exception {
        // Ten jobs and two slots: eight jobs wait for a slot when the input ends (a bounded run with many jobs).
        List<BatchCommittable> batches = new java.util.ArrayList<>();
        for (long job = 1; job <= 10; job++) {
            batches.add(staged(job, 0, 1));
            batches.add(staged(job, 1, 1));
        }
        for (BatchCommittable batch : batches) {
            harness.processElement(new StreamRecord<>(batch));
        }
        harness.endInput();
        for (BatchCommittable batch : batches) {
            assertThat(destination(batch)).exists();
        }
        assertThat(deliverer.metrics.batchesDelivered.getCount()).isEqualTo(batches.size());
        assertThat(deliverer.deliveriesRunning()).isZero();
    }

    @Test
    void batchesReEmittedAfterARestoreAreDeliveredOnce() throws Exception {
        BatchCommittable a0 = staged(1, 0, 1);
        BatchCommittable a1 = staged(1, 1, 1);
        breakDestination(1);
        deliver(a0);
        OperatorSubtaskState parkedA0 = harness.snapshot(1, 1_500);
        repairDestination(1);
        deliver(a1);
        advanceTo(2_000);
        assertThat(destination(a0)).exists();
        assertThat(destination(a1)).exists();
        harness.close();

        // A failover back to the checkpoint where a0 was parked; the committer re-emits both.
        harness = open(parkedA0);
        deliver(a0);
        deliver(a1);
        advanceTo(2_000);
        JobHealth health = latestHealth(1);
        assertThat(health.state()).isEqualTo(JobHealth.State.ACTIVE);
        assertThat(health.parkedBatches()).isZero();
        assertThat(health.deliveredBatches()).isEqualTo(2);
        assertThat(deliverer.metrics.duplicateBatches.getCount()).as("a0 re-emitted while parked, a0 retried, a1").isEqualTo(3);
        assertThat(deliverer.metrics.batchesDelivered.getCount()).isZero();
        assertThat(Batches.visibleObjects(root.resolve("dest-1"))).containsExactlyInAnyOrder(destination(a0), destination(a1));
    }

    @Test
    void aBatchNoLongerStagedWasMovedBeforeAFailoverEvenIfItsDestinationRemovedIt() throws Exception {
        BatchCommittable a0 = staged(1, 0, 1);
        Files.delete(stagedFile(a0));
        deliver(a0);
        assertThat(destination(a0)).doesNotExist();
        assertThat(deliverer.metrics.duplicateBatches.getCount()).isEqualTo(1);
        assertThat(latestHealth(1).state()).isEqualTo(JobHealth.State.ACTIVE);
    }
}
