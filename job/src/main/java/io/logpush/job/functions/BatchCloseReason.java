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
    OVERSIZED,
    /** The input ended (a bounded run, or a stop with {@code --drain}): everything buffered goes out. */
    END_OF_INPUT;

    String metricName() {
        StringBuilder name = new StringBuilder("batchesClosed");
        for (String word : name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase());
        }
        return name.toString();
    }
}
