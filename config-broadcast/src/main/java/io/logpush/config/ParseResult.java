package io.logpush.config;

import java.util.List;
import java.util.Optional;

/** The outcome of parsing one job config: the job, or every reason it was refused. */
public record ParseResult(Optional<LogpushJob> job, List<ConfigError> errors) {

    public ParseResult {
        errors = List.copyOf(errors);
        if (job.isPresent() == !errors.isEmpty()) {
            throw new IllegalArgumentException("a parse result has either a job or errors");
        }
    }

    static ParseResult valid(LogpushJob job) {
        return new ParseResult(Optional.of(job), List.of());
    }

    static ParseResult invalid(List<ConfigError> errors) {
        return new ParseResult(Optional.empty(), errors);
    }

    public boolean isValid() {
        return job.isPresent();
    }

    /** The job, or an {@link InvalidConfigException} with every error. */
    public LogpushJob orElseThrow() {
        return job.orElseThrow(() -> new InvalidConfigException(errors));
    }
}
