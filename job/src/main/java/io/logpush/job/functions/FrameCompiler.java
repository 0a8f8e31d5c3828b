package io.logpush.job.functions;

import io.logpush.config.DeploymentPolicy;
import io.logpush.config.JobConfigParser;
import io.logpush.config.LogpushJob;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.JobTable;
import io.logpush.job.records.BatchFrame;
import io.logpush.job.records.JobFrame;
import io.logpush.job.records.JobFrameUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Compiles each accepted config change into the frame a new batch of the job gets, once for the
 * whole pipeline: the buffers only store frames, each the frames of the jobs it owns.
 */
public final class FrameCompiler extends RichMapFunction<ConfigUpdate, JobFrameUpdate> {

    private static final long serialVersionUID = 1L;

    private final DeploymentPolicy policy;
    private transient JobConfigParser parser;

    public FrameCompiler(DeploymentPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new JobConfigParser(policy);
    }

    @Override
    public JobFrameUpdate map(ConfigUpdate update) {
        return new JobFrameUpdate(update.jobId(), compile(parser, update));
    }

    /** The job's frame under the update's version; its batch frame is null if the update deletes or disables the job. */
    static JobFrame compile(JobConfigParser parser, ConfigUpdate update) {
        LogpushJob job = JobTable.parse(parser, update);
        return new JobFrame(update.version(), job != null && job.enabled() ? BatchFrame.of(job, update.version()) : null);
    }
}
