package io.logpush.config;

/** The type of one dataset field, as far as filters and timestamp formatting care. */
public enum FieldType {
    STRING,
    INT,
    FLOAT,
    BOOL,
    /** Unix nanoseconds on input (or an RFC 3339 string); rendered per {@code timestamp_format}. */
    TIMESTAMP,
    /** Unix milliseconds on input (or an RFC 3339 string); rendered per {@code timestamp_format}. */
    TIMESTAMP_MS,
    ARRAY,
    OBJECT;

    public boolean isTimestamp() {
        return this == TIMESTAMP || this == TIMESTAMP_MS;
    }

    static FieldType parse(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
