package io.logpush.config.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.logpush.config.FieldType;
import io.logpush.config.filter.EventFieldException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads event timestamps: an integer in the field's unit (nanoseconds, or milliseconds for
 * {@link FieldType#TIMESTAMP_MS}) or an RFC 3339 string.
 */
public final class EventTimestamps {

    private EventTimestamps() {}

    /** The value as nanoseconds since the epoch. */
    public static long epochNanos(JsonNode value, FieldType type, String field) {
        if (value.isIntegralNumber()) {
            long raw = value.longValue();
            return type == FieldType.TIMESTAMP_MS ? Math.multiplyExact(raw, 1_000_000L) : raw;
        }
        if (value.isTextual()) {
            try {
                Instant instant = Instant.parse(value.textValue());
                return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new EventFieldException(field + ": not an RFC 3339 timestamp: " + abbreviate(value.textValue()));
            }
        }
        throw new EventFieldException(field + ": expected a timestamp, was " + value.getNodeType().name().toLowerCase());
    }

    public static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
