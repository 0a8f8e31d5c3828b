package io.logpush.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A job's new frame on its way from the config stage to the one buffer instance that owns the job
 * (keyed by job id, like the job's records).
 */
@TypeInfo(JobFrameUpdateSerializer.Factory.class)
public record JobFrameUpdate(long jobId, JobFrame frame) {}
