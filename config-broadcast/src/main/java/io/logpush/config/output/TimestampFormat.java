package io.logpush.config.output;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;

/** How timestamp fields are written: Cloudflare's {@code timestamp_format} values. */
public enum TimestampFormat {
    UNIXNANO("unixnano", null),
    UNIX("unix", null),
    RFC3339("rfc3339", DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")),
    RFC3339MS("rfc3339ms", DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")),
    RFC3339NS("rfc3339ns", DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'"));

    private final String token;
    private final DateTimeFormatter formatter;

    TimestampFormat(String token, DateTimeFormatter formatter) {
        this.token = token;
        this.formatter = formatter == null ? null : formatter.withZone(ZoneOffset.UTC);
    }

    public String token() {
        return token;
    }

    /** Whether the value is written as a number (else as a string). */
    public boolean numeric() {
        return formatter == null;
    }

    public String format(long epochNanos) {
        return switch (this) {
            case UNIXNANO -> Long.toString(epochNanos);
            case UNIX -> Long.toString(Math.floorDiv(epochNanos, 1_000_000_000L));
            default -> formatter.format(EventTimestamps.toInstant(epochNanos));
        };
    }

    /** Appends {@link #format(long)}'s text without building it first (the encoder's hot path). */
    public void appendTo(StringBuilder out, long epochNanos) {
        switch (this) {
            case UNIXNANO -> out.append(epochNanos);
            case UNIX -> out.append(Math.floorDiv(epochNanos, 1_000_000_000L));
            default -> formatter.formatTo(EventTimestamps.toInstant(epochNanos), out);
        }
    }

    public static Optional<TimestampFormat> byToken(String token) {
        return Arrays.stream(values()).filter(f -> f.token.equals(token)).findFirst();
    }

}
