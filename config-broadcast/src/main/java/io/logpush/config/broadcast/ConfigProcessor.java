package io.logpush.config.broadcast;

import io.logpush.config.ConfigError;
import io.logpush.config.JobConfigParser;
import io.logpush.config.LogpushJob;
import io.logpush.config.ParseResult;
import io.logpush.config.guard.ConfigChange;
import io.logpush.config.guard.ConfigGuard;
import io.logpush.config.guard.Decision;
import io.logpush.config.guard.GuardSettings;
import io.logpush.config.guard.GuardState;
import io.logpush.config.ownership.OwnershipSigner;
import io.logpush.config.topic.ConfigRecord;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatus.JobStatus;
import io.logpush.config.topic.ConfigStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The config stage of the pipeline, without Flink: turns config topic records, in topic order,
 * into {@link ConfigUpdate}s for broadcast state and {@link ConfigStatus} records for the status
 * topic. Validation and the {@link ConfigGuard} run here, once, before anything is broadcast; a
 * rejected record leaves the version in force untouched. Nothing a producer writes can make it
 * throw. Deterministic and not thread-safe: the pipeline runs it with parallelism one.
 */
public final class ConfigProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigProcessor.class);

    private final JobConfigParser parser;
    private final ConfigGuard guard;
    /** Highest version seen per job, valid or not: older records are stale. */
    private final Map<Long, Long> latestVersion;
    /** The version in force per job (absent once deleted). */
    private final Map<Long, Long> inForce;

    public ConfigProcessor(JobConfigParser parser, GuardSettings settings) {
        this(parser, new ConfigGuard(settings), new HashMap<>(), new HashMap<>());
    }

    private ConfigProcessor(JobConfigParser parser, ConfigGuard guard, Map<Long, Long> latestVersion, Map<Long, Long> inForce) {
        this.parser = parser;
        this.guard = guard;
        this.latestVersion = latestVersion;
        this.inForce = inForce;
    }

    public static ConfigProcessor restore(JobConfigParser parser, GuardSettings settings, ProcessorState state) {
        return new ConfigProcessor(parser, ConfigGuard.restore(settings, state.guard()),
                new HashMap<>(state.latestVersions()), new HashMap<>(state.inForceVersions()));
    }

    public ProcessorState snapshot() {
        return new ProcessorState(latestVersion, inForce, guard.snapshot());
    }

    /** Everything one step produced. */
    public record Output(List<ConfigUpdate> updates, List<ConfigStatus> statuses) {
        public Output {
            updates = List.copyOf(updates);
            statuses = List.copyOf(statuses);
        }
    }

    /** Everything the processor remembers, for checkpoints. */
    public record ProcessorState(Map<Long, Long> latestVersions, Map<Long, Long> inForceVersions, GuardState guard) {
        public ProcessorState {
            latestVersions = Map.copyOf(latestVersions);
            inForceVersions = Map.copyOf(inForceVersions);
        }
    }

    public Output process(ConfigRecord record) {
        List<ConfigUpdate> updates = new ArrayList<>();
        List<ConfigStatus> statuses = new ArrayList<>();
        List<ConfigStatus.HeldChange> heldBefore = heldChanges();
        if (record instanceof ConfigRecord.Malformed m) {
            LOG.warn("Config record at offset {} rejected: {}", m.version(), m.reason());
            statuses.add(new ConfigStatus.RecordRejected(m.version(), m.key(), m.reason(), m.timestamp()));
        } else if (record instanceof ConfigRecord.Confirm c) {
            apply(guard.confirm(c.changes()), updates, statuses);
        } else if (record instanceof ConfigRecord.Delete d) {
            if (isFresh(d.jobId(), d.version())) {
                apply(guard.offer(ConfigChange.delete(d.jobId(), d.version(), d.timestamp())), updates, statuses);
            }
        } else if (record instanceof ConfigRecord.Upsert u && isFresh(u.jobId(), u.version())) {
            upsert(u, updates, statuses);
        }
        reportGuard(heldBefore, record.timestamp(), statuses);
        return new Output(updates, statuses);
    }

    /** Judges removals whose decision delay has passed; call from a timer. */
    public Output tick(Instant now) {
        List<ConfigUpdate> updates = new ArrayList<>();
        List<ConfigStatus> statuses = new ArrayList<>();
        List<ConfigStatus.HeldChange> heldBefore = heldChanges();
        apply(guard.advanceTo(now), updates, statuses);
        reportGuard(heldBefore, now, statuses);
        return new Output(updates, statuses);
    }

    public Optional<Instant> nextDecisionAt() {
        return guard.nextDecisionAt();
    }

    public List<ConfigChange> held() {
        return guard.held();
    }

    public int activeJobs() {
        return guard.activeJobs();
    }

    /** Checked here, not in the parser, because it is judged at the time the config was submitted. */
    private Optional<ConfigError> ownershipError(LogpushJob job, Instant submittedAt) {
        OwnershipSigner signer = parser.policy().ownershipSigner();
        if (signer == null) {
            return Optional.empty();
        }
        if (job.ownershipChallenge().isEmpty()) {
            return Optional.of(new ConfigError("$.ownership_challenge", "is required by this deployment: run "
                    + "logpush config challenge --destination '" + job.destination().conf() + "' --owner " + job.owner().qualifiedId()
                    + " and pass the token it writes to ownership-challenge.txt"));
        }
        return signer.check(job.ownershipChallenge().get(), job.owner().qualifiedId(), job.destination().conf(), submittedAt)
                .map(reason -> new ConfigError("$.ownership_challenge", reason));
    }

    private boolean isFresh(long jobId, long version) {
        Long latest = latestVersion.get(jobId);
        if (latest != null && version <= latest) {
            LOG.info("Ignoring stale config record for job {}: version {} is not newer than {}", jobId, version, latest);
            return false;
        }
        latestVersion.put(jobId, version);
        return true;
    }

    private void upsert(ConfigRecord.Upsert u, List<ConfigUpdate> updates, List<ConfigStatus> statuses) {
        ParseResult result = parser.parse(u.json());
        List<ConfigError> errors = new ArrayList<>(result.errors());
        if (result.job().isPresent() && result.job().get().id() != u.jobId()) {
            errors.add(new ConfigError("$.id", "must equal the record key " + u.jobId() + ", was " + result.job().get().id()));
        }
        result.job().flatMap(job -> ownershipError(job, u.timestamp())).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            LOG.warn("Config of job {} version {} rejected; version {} stays in force: {}", u.jobId(), u.version(),
                    Optional.ofNullable(inForce.get(u.jobId())).map(String::valueOf).orElse("none"), errors);
            statuses.add(new JobStatus(u.jobId(), u.version(), State.REJECTED, Optional.ofNullable(inForce.get(u.jobId())),
                    errors, u.timestamp()));
            return;
        }
        LogpushJob job = result.job().get();
        int capacity = parser.policy().maxEnabledJobs();
        if (job.enabled() && !guard.isActive(u.jobId()) && guard.activeJobs() >= capacity) {
            ConfigError full = new ConfigError("$.enabled", "this deployment runs at most " + capacity
                    + " enabled jobs and is full; the job was not enabled (disable or delete others, or raise the capacity)");
            LOG.warn("Config of job {} version {} refused: capacity of {} enabled jobs reached", u.jobId(), u.version(), capacity);
            statuses.add(new JobStatus(u.jobId(), u.version(), State.REJECTED, Optional.ofNullable(inForce.get(u.jobId())),
                    List.of(full), u.timestamp()));
            return;
        }
        apply(guard.offer(ConfigChange.upsert(u.jobId(), u.version(), u.timestamp(), job.json(), job.enabled())),
                updates, statuses);
    }

    private void apply(List<Decision> decisions, List<ConfigUpdate> updates, List<ConfigStatus> statuses) {
        for (Decision decision : decisions) {
            ConfigChange change = decision.change();
            State state = switch (decision.verdict()) {
                case APPLY -> change.isDelete() ? State.DELETED : State.APPLIED;
                case PENDING -> State.PENDING;
                case HOLD -> State.HELD;
                case CANCEL -> State.SUPERSEDED;
            };
            if (decision.verdict() == Decision.Verdict.APPLY) {
                updates.add(new ConfigUpdate(change.jobId(), change.version(), change.json()));
                if (change.isDelete()) {
                    inForce.remove(change.jobId());
                } else {
                    inForce.put(change.jobId(), change.version());
                }
                LOG.info("Config of job {} version {} applied ({})", change.jobId(), change.version(), change.kind());
            }
            statuses.add(new JobStatus(change.jobId(), change.version(), state,
                    Optional.ofNullable(inForce.get(change.jobId())), List.of(), change.timestamp()));
        }
    }

    private void reportGuard(List<ConfigStatus.HeldChange> before, Instant at, List<ConfigStatus> statuses) {
        List<ConfigStatus.HeldChange> after = heldChanges();
        if (!after.equals(before)) {
            statuses.add(new ConfigStatus.GuardStatus(after, guard.activeJobs(), at));
        }
    }

    private List<ConfigStatus.HeldChange> heldChanges() {
        return guard.held().stream()
                .map(c -> new ConfigStatus.HeldChange(c.id(), c.kind(), c.timestamp()))
                .toList();
    }
}
