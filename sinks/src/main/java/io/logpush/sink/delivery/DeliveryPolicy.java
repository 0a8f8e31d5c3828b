package io.logpush.sink.delivery;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How hard delivery tries: each subtask runs up to {@code concurrentAttempts} deliveries at once,
 * one per job; an attempt without an answer after {@code attemptTimeout} counts as failed. A
 * failing job's batches are parked and retried with exponential backoff from
 * {@code initialBackoff} up to {@code maxBackoff}; after {@code retention} without one successful
 * delivery the job is disabled and its parked batches go to the dead-letter location.
 */
public record DeliveryPolicy(Duration initialBackoff, Duration maxBackoff, Duration retention, Duration attemptTimeout,
                             int concurrentAttempts) implements Serializable {

    /**
     * 5 s doubling up to 5 minutes; Cloudflare's 24 hours of retention; 2 minutes per attempt (a
     * 1 GB batch at 10 MB/s); 8 deliveries at once per subtask.
     */
    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofHours(24), Duration.ofMinutes(2), 8);

    public DeliveryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("max backoff " + maxBackoff + " is shorter than the initial backoff " + initialBackoff);
        }
        if (retention.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retention " + retention + " is shorter than the initial backoff " + initialBackoff);
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attempt timeout must be positive: " + attemptTimeout);
        }
        if (concurrentAttempts < 1) {
            throw new IllegalArgumentException("concurrent attempts must be at least 1: " + concurrentAttempts);
        }
    }

    public DeliveryPolicy withRetention(Duration retention) {
        return new DeliveryPolicy(initialBackoff, maxBackoff, retention, attemptTimeout, concurrentAttempts);
    }

    public DeliveryPolicy withBackoff(Duration initial, Duration max) {
        return new DeliveryPolicy(initial, max, retention, attemptTimeout, concurrentAttempts);
    }

    public DeliveryPolicy withAttempts(Duration timeout, int concurrent) {
        return new DeliveryPolicy(initialBackoff, maxBackoff, retention, timeout, concurrent);
    }

    /** The wait before retry number {@code failures} (1 = after the first failure). */
    public long backoffMillis(int failures) {
        long delay = initialBackoff.toMillis();
        for (int i = 1; i < failures && delay < maxBackoff.toMillis(); i++) {
            delay *= 2;
        }
        return Math.min(delay, maxBackoff.toMillis());
    }
}
