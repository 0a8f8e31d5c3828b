package io.logpush.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One event encoded for one job: what the router hands the job's buffer.
 *
 * @param laneKey the key of the job's buffer lane ({@link io.logpush.sink.JobLanes}): the job id unless the job is hot
 * @param configVersion the job config version the router used; the buffer waits for it
 * @param eventTime the event time, epoch milliseconds
 * @param bytes the encoded record (record prefix and suffix included)
 */
@TypeInfo(RoutedRecordSerializer.Factory.class)
public record RoutedRecord(long laneKey, long configVersion, long eventTime, byte[] bytes) {}
