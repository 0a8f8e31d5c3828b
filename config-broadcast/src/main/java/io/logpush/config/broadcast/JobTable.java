package io.logpush.config.broadcast;

import io.logpush.config.JobConfigParser;
import io.logpush.config.LogpushJob;
import io.logpush.config.ParseResult;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The job configs one pipeline instance knows. Broadcast state ({@link #STATE}) holds the latest
 * {@link ConfigUpdate} per job, tombstones included, and is the checkpointed truth; this class
 * keeps, per job, what its operator compiles the config into ({@code J}: only what that operator
 * needs, because every parallel instance holds one per job). An update applies only
 * if its version is newer, so every instance converges on the same table whatever order it
 * receives updates in.
 *
 * @param <J> a compiled job
 */
public final class JobTable<J> {

    private static final Logger LOG = LoggerFactory.getLogger(JobTable.class);

    /** Broadcast state: job id to the latest update (deletions kept, so stale updates cannot resurrect a job). */
    public static final MapStateDescriptor<Long, ConfigUpdate> STATE =
            new MapStateDescriptor<>("logpush-jobs", Types.LONG, ConfigUpdateTypeInfo.INSTANCE);

    /** What an applied update changed: the compiled job before and after (either may be absent). */
    public record Change<J>(Optional<J> before, Optional<J> after) {}

    /** Compiles a valid config of the given version; returns null for a job that is to be treated as absent. */
    @FunctionalInterface
    public interface Compiler<J> {
        J compile(LogpushJob job, long version);
    }

    private final JobConfigParser parser;
    private final Compiler<J> compiler;
    private final Map<Long, J> jobs = new HashMap<>();

    public JobTable(JobConfigParser parser, Compiler<J> compiler) {
        this.parser = parser;
        this.compiler = compiler;
    }

    /** Rebuilds the compiled jobs from broadcast state (after a restore). */
    public void load(Iterable<Map.Entry<Long, ConfigUpdate>> state) {
        jobs.clear();
        for (Map.Entry<Long, ConfigUpdate> entry : state) {
            remember(entry.getValue());
        }
    }

    /** Applies {@code update} to broadcast state and this table if it is newer than what they hold. */
    public Optional<Change<J>> apply(BroadcastState<Long, ConfigUpdate> state, ConfigUpdate update) throws Exception {
        ConfigUpdate current = state.get(update.jobId());
        if (current != null && !update.supersedes(current.version())) {
            return Optional.empty();
        }
        state.put(update.jobId(), update);
        Optional<J> before = job(update.jobId());
        remember(update);
        return Optional.of(new Change<>(before, job(update.jobId())));
    }

    /** The job's compiled config in force here; empty if unknown, deleted or not compiled. */
    public Optional<J> job(long jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    public Iterable<J> jobs() {
        return jobs.values();
    }

    private void remember(ConfigUpdate update) {
        jobs.remove(update.jobId());
        LogpushJob job = parse(parser, update);
        J compiled = job == null ? null : compiler.compile(job, update.version());
        if (compiled != null) {
            jobs.put(update.jobId(), compiled);
        }
    }

    /** The update's job, or null if it deletes the job or (logged) is invalid under {@code parser}'s policy. */
    public static LogpushJob parse(JobConfigParser parser, ConfigUpdate update) {
        if (update.json().isEmpty()) {
            return null;
        }
        ParseResult result = parser.parse(update.json().get());
        if (!result.isValid()) {
            // Validated by the config stage with the same policy; only a changed deployment policy gets here.
            LOG.error("Config of job {} version {} is invalid under this deployment's policy; treating the job as"
                    + " removed: {}", update.jobId(), update.version(), result.errors());
            return null;
        }
        return result.job().get();
    }
}
