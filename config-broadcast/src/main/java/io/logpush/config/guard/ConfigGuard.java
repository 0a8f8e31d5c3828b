package io.logpush.config.guard;

import io.logpush.config.topic.ChangeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, for each validated config change, whether to apply it now: the lesson of Cloudflare's
 * 2024-11-14 outage, where a blank config read as "nobody wants logs".
 *
 * <p>Additions and updates apply at once. Removals (deletions and disables of active jobs) wait up
 * to {@link GuardSettings#decisionDelay()} and are judged as a group: if, together with the
 * removals applied in the last {@link GuardSettings#window()}, they exceed
 * {@link GuardSettings#maxRemovedFraction()} of the active jobs, or would leave no job active, the
 * whole group is <em>held</em>: the old config keeps serving until an operator confirms the exact
 * changes, or until a newer change of the same job supersedes them. While anything is held, every
 * further removal is held too.
 *
 * <p>Pure and deterministic: time only enters as arguments (config record timestamps and timer
 * ticks), so a replay of the config topic reaches the same decisions. Not thread-safe.
 */
public final class ConfigGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigGuard.class);

    private final GuardSettings settings;
    private final Map<Long, Long> active = new HashMap<>();
    private final Deque<Instant> recentRemovals = new ArrayDeque<>();
    private final Map<Long, ConfigChange> pending = new LinkedHashMap<>();
    private final Map<Long, ConfigChange> held = new LinkedHashMap<>();
    private Instant pendingDeadline;
    private Instant clock = Instant.EPOCH;

    public ConfigGuard(GuardSettings settings) {
        this.settings = settings;
    }

    public static ConfigGuard restore(GuardSettings settings, GuardState state) {
        ConfigGuard guard = new ConfigGuard(settings);
        guard.active.putAll(state.activeJobs());
        guard.recentRemovals.addAll(state.recentRemovals());
        state.pending().forEach(c -> guard.pending.put(c.jobId(), c));
        state.held().forEach(c -> guard.held.put(c.jobId(), c));
        guard.pendingDeadline = state.pendingDeadline().orElse(null);
        guard.clock = state.clock();
        return guard;
    }

    public GuardState snapshot() {
        return new GuardState(active, List.copyOf(recentRemovals), List.copyOf(pending.values()),
                Optional.ofNullable(pendingDeadline), List.copyOf(held.values()), clock);
    }

    /** Judges one change (after closing any decision its timestamp makes due); returns every decision taken. */
    public List<Decision> offer(ConfigChange change) {
        List<Decision> decisions = new ArrayList<>(advanceTo(change.timestamp()));
        long job = change.jobId();
        boolean removal = active.containsKey(job) && !change.enabled();
        if (!removal) {
            cancel(pending.remove(job), decisions);
            cancel(held.remove(job), decisions);
            if (pending.isEmpty()) {
                pendingDeadline = null;
            }
            apply(change, decisions);
        } else if (!held.isEmpty()) {
            held.put(job, change);
            LOG.warn("Config guard holds {} of job {} ({} changes held, waiting for confirmation)", change.kind(), job, held.size());
            decisions.add(new Decision(change, Decision.Verdict.HOLD));
        } else {
            pending.put(job, change);
            if (pendingDeadline == null) {
                pendingDeadline = clock.plus(settings.decisionDelay());
            }
            decisions.add(new Decision(change, Decision.Verdict.PENDING));
            if (settings.decisionDelay().isZero()) {
                decisions.addAll(advanceTo(clock));
            }
        }
        return decisions;
    }

    /** Moves the guard's clock forward (it never goes back) and judges pending removals that are due. */
    public List<Decision> advanceTo(Instant now) {
        if (now.isAfter(clock)) {
            clock = now;
        }
        if (pendingDeadline == null || clock.isBefore(pendingDeadline)) {
            return List.of();
        }
        Instant windowStart = clock.minus(settings.window());
        while (!recentRemovals.isEmpty() && !recentRemovals.peekFirst().isAfter(windowStart)) {
            recentRemovals.pollFirst();
        }
        int removing = recentRemovals.size() + pending.size();
        int base = active.size() + recentRemovals.size();
        boolean blank = pending.size() >= active.size();
        boolean tooMany = removing > settings.maxRemovedFraction() * base;
        List<Decision> decisions = new ArrayList<>();
        List<ConfigChange> group = List.copyOf(pending.values());
        pending.clear();
        pendingDeadline = null;
        if (blank || tooMany) {
            for (ConfigChange change : group) {
                held.put(change.jobId(), change);
                decisions.add(new Decision(change, Decision.Verdict.HOLD));
            }
            LOG.warn("Config guard HOLDS {} removals: {} of {} active jobs would be removed within {}{}; jobs {}."
                            + " The previous config keeps serving until `logpush config confirm`.",
                    group.size(), removing, base, settings.window(), blank ? " (that is every active job)" : "",
                    group.stream().map(ConfigChange::jobId).toList());
        } else {
            for (ConfigChange change : group) {
                recentRemovals.addLast(clock);
                apply(change, decisions);
            }
        }
        return decisions;
    }

    /** Applies the held changes named in {@code ids} (others stay held); returns the decisions. */
    public List<Decision> confirm(Collection<ChangeId> ids) {
        Set<ChangeId> wanted = Set.copyOf(ids);
        List<Decision> decisions = new ArrayList<>();
        for (ConfigChange change : List.copyOf(held.values())) {
            if (wanted.contains(change.id())) {
                held.remove(change.jobId());
                apply(change, decisions);
            }
        }
        if (!decisions.isEmpty()) {
            LOG.warn("Config guard: {} held changes confirmed and applied; {} still held", decisions.size(), held.size());
        }
        return decisions;
    }

    public List<ConfigChange> held() {
        return List.copyOf(held.values());
    }

    public int activeJobs() {
        return active.size();
    }

    /** Whether the job is enabled in the config in force (removals pending or held still count). */
    public boolean isActive(long jobId) {
        return active.containsKey(jobId);
    }

    /** When the pending group will be judged, if there is one: the time for a timer. */
    public Optional<Instant> nextDecisionAt() {
        return Optional.ofNullable(pendingDeadline);
    }

    private void apply(ConfigChange change, List<Decision> decisions) {
        if (change.enabled()) {
            active.put(change.jobId(), change.version());
        } else {
            active.remove(change.jobId());
        }
        decisions.add(new Decision(change, Decision.Verdict.APPLY));
    }

    private static void cancel(ConfigChange superseded, List<Decision> decisions) {
        if (superseded != null) {
            decisions.add(new Decision(superseded, Decision.Verdict.CANCEL));
        }
    }
}
