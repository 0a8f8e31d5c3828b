package io.logpush.config.output;

/** How records are written: one JSON object per line, or CSV. */
public enum OutputType {
    NDJSON("ndjson"),
    CSV("csv");

    private final String token;

    OutputType(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
