package io.logpush.config;

import io.logpush.config.filter.EventFilter;
import io.logpush.config.output.OutputOptions;

import java.util.Objects;
import java.util.Optional;

/**
 * One customer's validated Logpush job: whose events (owner + dataset), which of them (filter,
 * sample), in which shape (output options), in which batches (limits), to where (destination).
 * Built only by {@link JobConfigParser}, so every instance is valid.
 *
 * @param source the job JSON as the customer sent it, compact ({@link #json()}); broadcast state stores
 *     this text and re-parses it on restore, so the state format is the customer's own contract
 */
public record LogpushJob(
        long id,
        String name,
        Owner owner,
        Dataset dataset,
        boolean enabled,
        String kind,
        Destination destination,
        EventFilter filter,
        OutputOptions outputOptions,
        BatchLimits limits,
        Optional<String> ownershipChallenge,
        CompactJson source) {

    public LogpushJob {
        if (id < 1) {
            throw new IllegalArgumentException("job id must be positive");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(outputOptions, "outputOptions");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(ownershipChallenge, "ownershipChallenge");
        Objects.requireNonNull(source, "source");
    }

    /** The job JSON as the customer sent it, compact. */
    public String json() {
        return source.text();
    }

    /** A short description for logs and the CLI: {@code job 7 (zone abc, http_requests -> s3://...)}. */
    public String describe() {
        return "job " + id + " (" + owner.kind().name().toLowerCase() + " " + owner.id() + ", " + dataset.name()
                + " -> " + destination.conf() + (enabled ? "" : ", disabled") + ")";
    }
}
