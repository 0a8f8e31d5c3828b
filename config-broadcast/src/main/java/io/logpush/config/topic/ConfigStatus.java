package io.logpush.config.topic;

import io.logpush.config.ConfigError;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the pipeline reports about config records on the status topic (compacted, keyed by
 * {@link #key()}), so customers and operators can read why a config was refused or held.
 */
public sealed interface ConfigStatus permits ConfigStatus.JobStatus, ConfigStatus.RecordRejected, ConfigStatus.GuardStatus {

    String key();

    Instant at();

    /** The state of one job's latest config record. */
    record JobStatus(long jobId, long version, State state, Optional<Long> inForceVersion, List<ConfigError> errors,
                     Instant at) implements ConfigStatus {
        public JobStatus {
            errors = List.copyOf(errors);
        }

        @Override
        public String key() {
            return Long.toString(jobId);
        }
    }

    /** The states of a job config record. */
    enum State {
        /** In force. */
        APPLIED,
        /** The job is deleted. */
        DELETED,
        /** A removal waiting for the guard's decision. */
        PENDING,
        /** A removal held by the guard until confirmed. */
        HELD,
        /** A pending or held removal replaced by a newer record of the job. */
        SUPERSEDED,
        /** Invalid: the version in force (if any) keeps serving. */
        REJECTED
    }

    /** A config record that is not a job or control record at all. */
    record RecordRejected(long version, String recordKey, String reason, Instant at) implements ConfigStatus {
        @Override
        public String key() {
            return "record:" + version;
        }
    }

    /** The guard's held changes: what {@code logpush config held} shows and {@code confirm} confirms. */
    record GuardStatus(List<HeldChange> held, int activeJobs, Instant at) implements ConfigStatus {
        public static final String KEY = "guard";

        public GuardStatus {
            held = List.copyOf(held);
        }

        @Override
        public String key() {
            return KEY;
        }
    }

    /** One held change. */
    record HeldChange(ChangeId id, String kind, Instant at) {}
}
