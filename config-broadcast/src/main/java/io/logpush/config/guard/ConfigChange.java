package io.logpush.config.guard;

import io.logpush.config.topic.ChangeId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated change to one job, as the guard sees it: the new config (empty for a deletion) and
 * whether the job is enabled afterwards.
 */
public record ConfigChange(long jobId, long version, Instant timestamp, Optional<String> json, boolean enabled) {

    public ConfigChange {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(json, "json");
        if (json.isEmpty() && enabled) {
            throw new IllegalArgumentException("a deletion cannot leave the job enabled");
        }
    }

    public static ConfigChange upsert(long jobId, long version, Instant timestamp, String json, boolean enabled) {
        return new ConfigChange(jobId, version, timestamp, Optional.of(json), enabled);
    }

    public static ConfigChange delete(long jobId, long version, Instant timestamp) {
        return new ConfigChange(jobId, version, timestamp, Optional.empty(), false);
    }

    public ChangeId id() {
        return new ChangeId(jobId, version);
    }

    public boolean isDelete() {
        return json.isEmpty();
    }

    /** {@code delete} or {@code disable} for removals, else {@code upsert}: for logs and the CLI. */
    public String kind() {
        return isDelete() ? "delete" : enabled ? "upsert" : "disable";
    }
}
