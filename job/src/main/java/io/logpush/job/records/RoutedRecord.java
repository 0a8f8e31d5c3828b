package io.logpush.job.records;

/**
 * One event encoded for one job: what the router hands the job's buffer.
 *
 * @param configVersion the job config version the router used; the buffer waits for it
 * @param eventTime the event time, epoch milliseconds
 * @param bytes the encoded record (record prefix and suffix included)
 */
public record RoutedRecord(long jobId, long configVersion, long eventTime, byte[] bytes) {}
