package io.logpush.sink.delivery;

import io.logpush.sink.JobLanes;
import io.logpush.sink.committer.BatchCommittable;

import java.time.Instant;

/**
 * One job's delivery state, kept in keyed state by {@link BatchDeliverer}: its health and what the
 * retry schedule needs. Immutable; every event yields a new one. Times are epoch milliseconds, -1
 * for none.
 *
 * @param failingSince when the first of the current run of failures happened
 * @param failures failures in a row
 * @param nextAttempt when the parked batches are retried next
 * @param disabledAtVersion the config version the job was disabled under: later batches of that version are dead-lettered
 */
record DeliveryState(JobHealth.State state, long lastComplete, long lastError,
                     String errorMessage, long parkedBatches, long parkedBytes, long failingSince, int failures,
                     long nextAttempt, long disabledAtVersion, long deliveredBatches, long deadLetteredBatches) {

    static final DeliveryState NEW = new DeliveryState(JobHealth.State.ACTIVE, -1, -1, null, 0, 0, -1, 0, -1, -1, 0, 0);

    /** Whether batches wait: parked, or queued behind the job's running attempt. */
    boolean hasParked() {
        return parkedBatches > 0;
    }

    /** Whether a retry is scheduled: delivery failed and has not recovered since. */
    boolean isFailing() {
        return nextAttempt >= 0;
    }

    /** A batch reached its destination; an earlier error is cleared, as Cloudflare does. */
    DeliveryState delivered(BatchCommittable batch, boolean wasParked) {
        long parked = wasParked ? parkedBatches - 1 : parkedBatches;
        long parkedSize = wasParked ? parkedBytes - batch.writtenBytes() : parkedBytes;
        boolean recovered = parked == 0;
        return new DeliveryState(recovered ? JobHealth.State.ACTIVE : state,
                Math.max(lastComplete, batch.batch().lastRecord().toEpochMilli()), recovered ? -1 : lastError, recovered ? null : errorMessage,
                parked, parkedSize, recovered ? -1 : failingSince, recovered ? 0 : failures, recovered ? -1 : nextAttempt,
                disabledAtVersion, deliveredBatches + 1, deadLetteredBatches);
    }

    /** A batch waits for the destination. */
    DeliveryState parked(BatchCommittable batch) {
        return new DeliveryState(state, lastComplete, lastError, errorMessage, parkedBatches + 1,
                parkedBytes + batch.writtenBytes(), failingSince, failures, nextAttempt, disabledAtVersion,
                deliveredBatches, deadLetteredBatches);
    }

    /** An attempt failed at {@code now}; the next one is at {@code retryAt}. */
    DeliveryState failed(long now, String message, long retryAt) {
        return new DeliveryState(JobHealth.State.DEGRADED, lastComplete, now, message,
                parkedBatches, parkedBytes, failingSince < 0 ? now : failingSince, failures + 1, retryAt,
                disabledAtVersion, deliveredBatches, deadLetteredBatches);
    }

    /** The retention ran out: every parked batch went to the dead-letter location. */
    DeliveryState disabled(long configVersion, String message) {
        return new DeliveryState(JobHealth.State.DISABLED, lastComplete, lastError, message, 0, 0,
                failingSince, failures, -1, Math.max(disabledAtVersion, configVersion), deliveredBatches,
                deadLetteredBatches + parkedBatches);
    }

    /** A batch of a disabled job went to the dead-letter location. */
    DeliveryState deadLettered() {
        return new DeliveryState(state, lastComplete, lastError, errorMessage, parkedBatches,
                parkedBytes, failingSince, failures, nextAttempt, disabledAtVersion, deliveredBatches, deadLetteredBatches + 1);
    }

    /** The job's config changed after it was disabled: delivery starts afresh. */
    DeliveryState reactivated() {
        return new DeliveryState(JobHealth.State.ACTIVE, lastComplete, -1, null, 0, 0, -1, 0, -1,
                disabledAtVersion, deliveredBatches, deadLetteredBatches);
    }

    /** @param laneKey the job's lane ({@code JobLanes}) this state is kept for */
    JobHealth health(long laneKey, long now) {
        return new JobHealth(JobLanes.jobOf(laneKey), JobLanes.laneOf(laneKey), state, instant(lastComplete), instant(lastError), errorMessage, parkedBatches,
                parkedBytes, deliveredBatches, deadLetteredBatches, Instant.ofEpochMilli(now));
    }

    private static Instant instant(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
    }
}
