package io.logpush.job.functions;

/** Why a batch was closed: each has a counter ({@code batchesClosed<Reason>}) and a log line. */
public enum BatchCloseReason {
    /** It reached {@code max_upload_records}. */
    RECORDS,
    /** The next record would have pushed it past {@code max_upload_bytes}. */
    BYTES,
    /** {@code max_upload_interval_seconds} passed since its first record. */
    INTERVAL,
    /** The job was changed, disabled or deleted. */
    JOB_CHANGE,
    /** One record larger than {@code max_upload_bytes}: it travels alone. */
    OVERSIZED;

    String metricName() {
        String name = name().charAt(0) + name().substring(1).toLowerCase().replace("_c", "C");
        return "batchesClosed" + name;
    }
}
