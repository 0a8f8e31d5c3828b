package io.logpush.sink.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * The health of one Logpush job's delivery, as customers and ops read it (Cloudflare's
 * {@code last_complete}, {@code last_error}, {@code error_message}, plus what is parked). Published
 * on every change to the health topic, keyed by job id. Immutable.
 *
 * @param lane the job's lane ({@code JobLanes}): a job spread over several lanes has a health per lane; 0 for every other job
 * @param lastComplete the end of the last delivered batch's time range; null before the first delivery
 * @param lastError when delivery last failed; null when the latest attempt succeeded
 * @param errorMessage why it failed; null when the latest attempt succeeded
 * @param parkedBatches batches not yet delivered: parked while the destination fails, or queued behind the running delivery
 * @param deliveredBatches batches delivered since the job's first batch
 * @param deadLetteredBatches batches moved to the dead-letter location because the job was disabled
 */
public record JobHealth(long jobId, int lane, State state, Instant lastComplete, Instant lastError, String errorMessage,
                        long parkedBatches, long parkedBytes, long deliveredBatches, long deadLetteredBatches,
                        Instant updatedAt) {

    /** Where a job stands. */
    public enum State {
        /** Its latest delivery succeeded. */
        ACTIVE,
        /** Its destination fails: batches are parked and retried. */
        DEGRADED,
        /** No delivery succeeded within the retention: parked and new batches go to the dead-letter location. */
        DISABLED
    }

    public JobHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
