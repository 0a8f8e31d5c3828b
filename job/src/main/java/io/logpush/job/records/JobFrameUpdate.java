package io.logpush.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A job's new frame on its way to the buffer instance that owns one of the job's lanes (keyed by
 * lane, like the job's records): lane 0's from the frame compiler, a hot job's further lanes' from
 * the router that spreads the job over them.
 *
 * @param laneKey the key of the job's buffer lane ({@link io.logpush.sink.JobLanes}): the job id for lane 0
 */
@TypeInfo(JobFrameUpdateSerializer.Factory.class)
public record JobFrameUpdate(long laneKey, JobFrame frame) {}
