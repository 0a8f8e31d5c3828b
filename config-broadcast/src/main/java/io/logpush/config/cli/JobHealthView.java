package io.logpush.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * One job's health as {@code config list} shows it, read from the health topic's JSON (written by
 * the pipeline's delivery step). Missing or unreadable health shows as "-".
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

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? otherwise : value.asText();
    }
}
