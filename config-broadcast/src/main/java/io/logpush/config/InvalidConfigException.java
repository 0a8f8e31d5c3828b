package io.logpush.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown where a caller insists on a valid config; carries every path-precise error found. */
public final class InvalidConfigException extends RuntimeException {

    private final List<ConfigError> errors;

    public InvalidConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
