package io.logpush.config;

import java.time.Duration;

/**
 * When a job's batch closes: at {@code maxRecords} records, before a record would push it past
 * {@code maxBytes} uncompressed bytes, or {@code maxInterval} after its first record, whichever
 * comes first. Zero switches a limit off, as in Cloudflare's job API.
 */
public record BatchLimits(long maxBytes, long maxRecords, Duration maxInterval) {

    /** Cloudflare's defaults when a job sets no limit: 30 seconds or 100,000 records. */
    public static final BatchLimits DEFAULT = new BatchLimits(0, 100_000, Duration.ofSeconds(30));

    public BatchLimits {
        if (maxBytes < 0 || maxRecords < 0 || maxInterval.isNegative()) {
            throw new IllegalArgumentException("batch limits must not be negative");
        }
        if (maxBytes == 0 && maxRecords == 0 && maxInterval.isZero()) {
            throw new IllegalArgumentException("at least one batch limit must be set");
        }
    }

    public boolean limitsBytes() {
        return maxBytes > 0;
    }

    public boolean limitsRecords() {
        return maxRecords > 0;
    }

    public boolean limitsInterval() {
        return !maxInterval.isZero();
    }
}
