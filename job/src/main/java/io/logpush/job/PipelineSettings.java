package io.logpush.job;

import io.logpush.config.DeploymentPolicy;
import io.logpush.config.broadcast.ConfigBootstrap;
import io.logpush.config.guard.GuardSettings;
import io.logpush.job.functions.HotJobs;
import io.logpush.sink.BatchChunk;
import io.logpush.sink.JobLanes;

import java.io.Serializable;
import java.util.Objects;

/**
 * How the pipeline behaves, apart from where its inputs and outputs are.
 *
 * @param maxEventBytes events larger than this go to the dead-letter topic
 * @param chunkBytes the largest chunk a batch travels to the sink in
 * @param hotJobLanes how many buffer lanes a hot job spreads over; 0: as many as the buffers' parallelism (at most {@link JobLanes#MAX_LANES})
 * @param hotJobRecordsPerSecond the rate of a job's records at one router instance above which it is hot
 */
public record PipelineSettings(DeploymentPolicy policy, GuardSettings guard, ConfigBootstrap bootstrap, int maxEventBytes,
                               int chunkBytes, int hotJobLanes, int hotJobRecordsPerSecond) implements Serializable {

    public PipelineSettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(bootstrap, "bootstrap");
        if (maxEventBytes < 1 || chunkBytes < 1 || chunkBytes > BatchChunk.MAX_BYTES) {
            throw new IllegalArgumentException("maxEventBytes must be positive and chunkBytes in 1.." + BatchChunk.MAX_BYTES);
        }
        if (hotJobLanes < 0 || hotJobLanes > JobLanes.MAX_LANES || hotJobRecordsPerSecond < 1) {
            throw new IllegalArgumentException("hotJobLanes must be 0.." + JobLanes.MAX_LANES + " and hotJobRecordsPerSecond positive");
        }
    }

    /** Cloudflare's limits, the default guard, 1 MiB events and chunks, hot jobs spread over every buffer instance. */
    public static PipelineSettings defaults(ConfigBootstrap bootstrap) {
        return new PipelineSettings(DeploymentPolicy.DEFAULT, GuardSettings.DEFAULT, bootstrap, 1 << 20, 1 << 20, 0,
                HotJobs.DEFAULT_RECORDS_PER_SECOND);
    }

    public PipelineSettings withPolicy(DeploymentPolicy policy) {
        return new PipelineSettings(policy, guard, bootstrap, maxEventBytes, chunkBytes, hotJobLanes, hotJobRecordsPerSecond);
    }

    public PipelineSettings withHotJobs(int lanes, int recordsPerSecond) {
        return new PipelineSettings(policy, guard, bootstrap, maxEventBytes, chunkBytes, lanes, recordsPerSecond);
    }

    /** The hot-job settings of a pipeline whose buffers run at {@code parallelism} with {@code keyGroups} key groups. */
    public HotJobs hotJobs(int parallelism, int keyGroups) {
        int lanes = hotJobLanes > 0 ? hotJobLanes : Math.min(parallelism, JobLanes.MAX_LANES);
        return new HotJobs(lanes, hotJobRecordsPerSecond, keyGroups, parallelism);
    }
}
