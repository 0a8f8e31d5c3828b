package io.logpush.config.guard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the guard remembers, as an immutable value for checkpoints.
 *
 * @param activeJobs the enabled jobs in force, with their versions
 * @param recentRemovals when each removal applied without confirmation happened (for the window)
 * @param pending removals gathered for the next decision
 * @param held removals waiting for a confirmation
 * @param clock the latest time the guard has seen
 */
public record GuardState(
        Map<Long, Long> activeJobs,
        List<Instant> recentRemovals,
        List<ConfigChange> pending,
        Optional<Instant> pendingDeadline,
        List<ConfigChange> held,
        Instant clock) {

    public GuardState {
        activeJobs = Map.copyOf(activeJobs);
        recentRemovals = List.copyOf(recentRemovals);
        pending = List.copyOf(pending);
        held = List.copyOf(held);
    }

    public static GuardState empty() {
        return new GuardState(Map.of(), List.of(), List.of(), Optional.empty(), List.of(), Instant.EPOCH);
    }
}
