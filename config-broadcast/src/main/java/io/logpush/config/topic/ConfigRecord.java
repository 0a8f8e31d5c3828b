package io.logpush.config.topic;

import java.time.Instant;
import java.util.List;

/**
 * What one record of the config topic means. Every record carries its version, the record's
 * offset in the config topic: per job id (= record key, so one partition) versions only grow, which
 * makes applying them order-independent and lets stale updates be recognised.
 */
public sealed interface ConfigRecord permits ConfigRecord.Upsert, ConfigRecord.Delete, ConfigRecord.Confirm,
        ConfigRecord.Malformed {

    long version();

    /** The record's timestamp: the config guard's clock, so a replay of the topic decides alike. */
    Instant timestamp();

    /** Key = job id, value = the job JSON (not yet validated). */
    record Upsert(long jobId, long version, Instant timestamp, String json) implements ConfigRecord {}

    /** Key = job id, value = null (a tombstone): the job is deleted. */
    record Delete(long jobId, long version, Instant timestamp) implements ConfigRecord {}

    /** A control record: the operator confirms these changes held by the config guard. */
    record Confirm(List<ChangeId> changes, long version, Instant timestamp) implements ConfigRecord {
        public Confirm {
            changes = List.copyOf(changes);
        }
    }

    /** A record whose key or value cannot be understood; it is reported and changes nothing. */
    record Malformed(String key, long version, Instant timestamp, String reason) implements ConfigRecord {}
}
