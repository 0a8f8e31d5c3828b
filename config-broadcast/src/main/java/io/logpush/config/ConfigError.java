package io.logpush.config;

import java.util.Objects;

/** One reason a job config was refused: the JSON path it concerns and what is wrong there. */
public record ConfigError(String path, String message) {

    public ConfigError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
