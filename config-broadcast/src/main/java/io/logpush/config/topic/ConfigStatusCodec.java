package io.logpush.config.topic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpush.config.ConfigError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** JSON form of {@link ConfigStatus} records on the status topic; readable with any Kafka consumer. */
public final class ConfigStatusCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigStatusCodec() {}

    public static byte[] key(ConfigStatus status) {
        return status.key().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] encode(ConfigStatus status) {
        ObjectNode node = JSON.createObjectNode();
        if (status instanceof ConfigStatus.JobStatus job) {
            node.put("id", job.jobId()).put("version", job.version()).put("state", job.state().name().toLowerCase(Locale.ROOT));
            job.inForceVersion().ifPresent(v -> node.put("in_force_version", v));
            if (!job.errors().isEmpty()) {
                ArrayNode errors = node.putArray("errors");
                job.errors().forEach(e -> errors.addObject().put("path", e.path()).put("message", e.message()));
            }
        } else if (status instanceof ConfigStatus.RecordRejected rejected) {
            node.put("version", rejected.version()).put("key", rejected.recordKey()).put("state", "rejected")
                    .put("reason", rejected.reason());
        } else if (status instanceof ConfigStatus.GuardStatus guard) {
            ArrayNode held = node.putArray("held");
            guard.held().forEach(h -> held.addObject().put("id", h.id().jobId()).put("version", h.id().version())
                    .put("change", h.kind()).put("at", h.at().toString()));
            node.put("active_jobs", guard.activeJobs());
        }
        node.put("at", status.at().toString());
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static ConfigStatus decode(byte[] key, byte[] value) {
        String keyText = new String(key, StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(value);
            Instant at = Instant.parse(node.path("at").asText());
            if (keyText.equals(ConfigStatus.GuardStatus.KEY)) {
                List<ConfigStatus.HeldChange> held = new ArrayList<>();
                for (JsonNode h : node.path("held")) {
                    held.add(new ConfigStatus.HeldChange(new ChangeId(h.path("id").asLong(), h.path("version").asLong()),
                            h.path("change").asText(), Instant.parse(h.path("at").asText())));
                }
                return new ConfigStatus.GuardStatus(held, node.path("active_jobs").asInt(), at);
            }
            if (keyText.startsWith("record:")) {
                return new ConfigStatus.RecordRejected(node.path("version").asLong(), node.path("key").asText(),
                        node.path("reason").asText(), at);
            }
            List<ConfigError> errors = new ArrayList<>();
            for (JsonNode e : node.path("errors")) {
                errors.add(new ConfigError(e.path("path").asText(), e.path("message").asText()));
            }
            Optional<Long> inForce = node.has("in_force_version") ? Optional.of(node.get("in_force_version").asLong()) : Optional.empty();
            return new ConfigStatus.JobStatus(node.path("id").asLong(), node.path("version").asLong(),
                    ConfigStatus.State.valueOf(node.path("state").asText().toUpperCase(Locale.ROOT)), inForce, errors, at);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable status record " + keyText, e);
        }
    }
}
