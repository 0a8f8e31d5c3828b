package io.logpush.config.broadcast;

import io.logpush.config.JobConfigParser;
import io.logpush.config.guard.GuardSettings;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * Where a freshly started pipeline instance gets the job configs in force before its first event:
 * the config topic up to its current end, replayed through the same deterministic
 * {@link ConfigProcessor} as the config stage. So no event is ever judged against an empty config
 * (no fail-open, no loss at cold start). Not used on restore: broadcast state is restored then.
 */
@FunctionalInterface
public interface ConfigBootstrap extends Serializable {

    /** The updates in force now, by replaying the config source. */
    List<ConfigUpdate> load(JobConfigParser parser, GuardSettings settings) throws Exception;

    /**
     * Starts following which owners have a config ({@link OwnerWatch}), having read what is in force
     * now; empty when this bootstrap cannot follow its source, and then every event goes to the router.
     */
    default Optional<OwnerWatch> watchOwners() throws Exception {
        return Optional.empty();
    }

    /** For tests that feed configs only through the broadcast stream. */
    static ConfigBootstrap none() {
        return (parser, settings) -> List.of();
    }
}
