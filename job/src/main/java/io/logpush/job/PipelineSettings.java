package io.logpush.job;

import io.logpush.config.DeploymentPolicy;
import io.logpush.config.broadcast.ConfigBootstrap;
import io.logpush.config.guard.GuardSettings;
import io.logpush.sink.BatchChunk;

import java.io.Serializable;
import java.util.Objects;

/**
 * How the pipeline behaves, apart from where its inputs and outputs are.
 *
 * @param maxEventBytes events larger than this go to the dead-letter topic
 * @param chunkBytes the largest chunk a batch travels to the sink in
 */
public record PipelineSettings(DeploymentPolicy policy, GuardSettings guard, ConfigBootstrap bootstrap, int maxEventBytes,
                               int chunkBytes) implements Serializable {

    public PipelineSettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(bootstrap, "bootstrap");
        if (maxEventBytes < 1 || chunkBytes < 1 || chunkBytes > BatchChunk.MAX_BYTES) {
            throw new IllegalArgumentException("maxEventBytes must be positive and chunkBytes in 1.." + BatchChunk.MAX_BYTES);
        }
    }

    /** Cloudflare's limits, the default guard, 1 MiB events and chunks. */
    public static PipelineSettings defaults(ConfigBootstrap bootstrap) {
        return new PipelineSettings(DeploymentPolicy.DEFAULT, GuardSettings.DEFAULT, bootstrap, 1 << 20, 1 << 20);
    }

    public PipelineSettings withPolicy(DeploymentPolicy policy) {
        return new PipelineSettings(policy, guard, bootstrap, maxEventBytes, chunkBytes);
    }
}
