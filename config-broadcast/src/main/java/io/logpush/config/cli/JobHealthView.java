package io.logpush.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One job's health as {@code config list} shows it, read from the health topic's JSON (written by
 * the pipeline's delivery step). Missing or unreadable health shows as "-". A hot job spread over
 * several lanes has a health record per lane ({@code <job id>/<lane>}); {@link #with} combines them.
 */
record JobHealthView(String state, String lastComplete, String parked, String lastError, String errorMessage) {

    static final JobHealthView NONE = new JobHealthView("-", "-", "-", null, null);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static JobHealthView parse(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return new JobHealthView(text(node, "state", "-"), text(node, "last_complete", "-"),
                    node.path("parked_batches").asText("-"), text(node, "last_error", null), text(node, "error_message", null));
        } catch (IOException e) {
            return new JobHealthView("unreadable", "-", "-", null, null);
        }
    }

    /** The health of a job over two of its lanes: the worse state, the parked batches summed, the later completion and error. */
    JobHealthView with(JobHealthView lane) {
        JobHealthView errored = later(lastError, lane.lastError) == lane.lastError ? lane : this;
        return new JobHealthView(rank(lane.state) > rank(state) ? lane.state : state, later(lastComplete, lane.lastComplete),
                sum(parked, lane.parked), errored.lastError, errored.errorMessage);
    }

    private static String sum(String a, String b) {
        try {
            return a.equals("-") ? b : b.equals("-") ? a : Long.toString(Long.parseLong(a) + Long.parseLong(b));
        } catch (NumberFormatException e) {
            return "-";
        }
    }

    private static int rank(String state) {
        return switch (state) {
            case "disabled" -> 4;
            case "unreadable" -> 3;
            case "degraded" -> 2;
            case "active" -> 1;
            default -> 0;
        };
    }

    /** The later of two times as the pipeline writes them (ISO-8601); "-" or null for none. */
    private static String later(String a, String b) {
        if (a == null || a.equals("-")) {
            return b;
        }
        try {
            return b == null || b.equals("-") || Instant.parse(a).isAfter(Instant.parse(b)) ? a : b;
        } catch (DateTimeParseException e) {
            return a;
        }
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? otherwise : value.asText();
    }
}
