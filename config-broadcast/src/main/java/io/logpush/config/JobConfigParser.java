package io.logpush.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpush.config.filter.EventFilter;
import io.logpush.config.filter.FilterParser;
import io.logpush.config.output.LogpullOptions;
import io.logpush.config.output.OutputOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import static io.logpush.config.ConfigReader.child;
import static io.logpush.config.ConfigReader.quote;

/**
 * Parses and validates a Logpush job JSON, as Cloudflare's job API defines it, into a
 * {@link LogpushJob} or a list of path-precise {@link ConfigError}s. Unknown fields are errors.
 * Thread-safe.
 */
public final class JobConfigParser {

    /** Larger configs are refused before parsing. */
    public static final int MAX_CONFIG_BYTES = 64 * 1024;

    private static final Set<String> FIELDS = Set.of(
            "id", "name", "zone_id", "account_id", "dataset", "enabled", "kind", "destination_conf", "filter",
            "output_options", "logpull_options", "frequency", "max_upload_bytes", "max_upload_records",
            "max_upload_interval_seconds", "ownership_challenge",
            // Read-only fields of Cloudflare's API responses: accepted so a fetched job can be pasted, then ignored.
            "last_complete", "last_error", "error_message");
    private static final Set<String> READ_ONLY = Set.of("last_complete", "last_error", "error_message");
    private static final Pattern OWNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private final DeploymentPolicy policy;

    public JobConfigParser(DeploymentPolicy policy) {
        this.policy = policy;
    }

    public DeploymentPolicy policy() {
        return policy;
    }

    public ParseResult parse(byte[] json) {
        return parse(new String(json, StandardCharsets.UTF_8));
    }

    public ParseResult parse(String json) {
        ConfigReader reader = new ConfigReader();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CONFIG_BYTES) {
            reader.error("$", "config must be at most " + MAX_CONFIG_BYTES + " bytes, was " + bytes);
            return ParseResult.invalid(reader.errors());
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            reader.error("$", "not valid JSON: " + ConfigReader.jsonProblem(e));
            return ParseResult.invalid(reader.errors());
        }
        if (tree == null || tree.isMissingNode()) {
            reader.error("$", "empty config");
            return ParseResult.invalid(reader.errors());
        }
        Optional<ObjectNode> root = reader.object(tree, "$");
        if (root.isEmpty()) {
            return ParseResult.invalid(reader.errors());
        }
        Optional<LogpushJob> job = job(root.get(), reader);
        return job.isPresent() && !reader.hasErrors() ? ParseResult.valid(job.get()) : ParseResult.invalid(reader.errors());
    }

    private Optional<LogpushJob> job(ObjectNode obj, ConfigReader r) {
        String p = "$";
        r.rejectUnknownFields(obj, p, FIELDS);
        long id = 0;
        OptionalLong idValue = r.integer(obj, p, "id");
        if (!obj.has("id") || obj.get("id").isNull()) {
            r.error(child(p, "id"), "is required");
        } else if (idValue.isPresent()) {
            if (idValue.getAsLong() < 1) {
                r.error(child(p, "id"), "must be a positive integer, was " + idValue.getAsLong());
            } else {
                id = idValue.getAsLong();
            }
        }
        String name = r.string(obj, p, "name", 512).orElse("");
        Optional<Owner> owner = owner(obj, p, r);
        Optional<Dataset> dataset = dataset(obj, p, r);
        if (owner.isPresent() && dataset.isPresent() && owner.get().kind() != dataset.get().scope()) {
            r.error(child(p, owner.get().kind().jsonField()), "dataset " + dataset.get().name() + " belongs to "
                    + (dataset.get().scope() == OwnerKind.ZONE ? "a zone: use zone_id" : "an account: use account_id"));
        }
        boolean enabled = r.bool(obj, p, "enabled").orElse(false);
        String kind = r.string(obj, p, "kind", 16).orElse("");
        if (!kind.isEmpty() && !kind.equals("edge")) {
            r.error(child(p, "kind"), "must be \"\" or \"edge\", was " + quote(kind));
        } else if (kind.equals("edge") && dataset.isPresent() && !dataset.get().name().equals("http_requests")) {
            r.error(child(p, "kind"), "edge jobs exist only for the http_requests dataset");
        }
        Optional<Destination> destination = Optional.empty();
        Optional<String> conf = r.string(obj, p, "destination_conf", 4096);
        if (!obj.has("destination_conf") || obj.get("destination_conf").isNull()) {
            r.error(child(p, "destination_conf"), "is required");
        } else if (conf.isPresent()) {
            destination = Destination.parse(conf.get(), child(p, "destination_conf"), r, policy);
        }
        Optional<BatchLimits> limits = limits(obj, p, r);
        Optional<EventFilter> filter = dataset.flatMap(
                d -> FilterParser.parse(obj.get("filter"), child(p, "filter"), d, r));
        Optional<OutputOptions> output = dataset.flatMap(d -> outputOptions(obj, p, d, r));
        Optional<String> challenge = r.string(obj, p, "ownership_challenge", 4096);
        for (String readOnly : READ_ONLY) {
            r.field(obj, readOnly).filter(v -> !v.isTextual())
                    .ifPresent(v -> r.error(child(p, readOnly), "must be a string or null"));
        }
        if (r.hasErrors() || owner.isEmpty() || dataset.isEmpty() || destination.isEmpty() || limits.isEmpty()
                || filter.isEmpty() || output.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LogpushJob(id, name, owner.get(), dataset.get(), enabled, kind, destination.get(),
                filter.get(), output.get(), limits.get(), challenge, new CompactJson(obj)));
    }

    private static Optional<Owner> owner(ObjectNode obj, String p, ConfigReader r) {
        Optional<String> zone = r.string(obj, p, "zone_id", 64);
        Optional<String> account = r.string(obj, p, "account_id", 64);
        if (zone.isPresent() == account.isPresent()) {
            if (r.field(obj, "zone_id").isEmpty() && r.field(obj, "account_id").isEmpty()) {
                r.error(p, "needs an owner: exactly one of zone_id or account_id");
            } else if (zone.isPresent()) {
                r.error(p, "has both zone_id and account_id; a job has exactly one owner");
            }
            return Optional.empty();
        }
        OwnerKind kind = zone.isPresent() ? OwnerKind.ZONE : OwnerKind.ACCOUNT;
        String id = zone.orElseGet(account::get);
        if (!OWNER_ID.matcher(id).matches()) {
            r.error(child(p, kind.jsonField()), "must be 1-64 letters, digits, '.', '_' or '-', was " + quote(id));
            return Optional.empty();
        }
        return Optional.of(new Owner(kind, id));
    }

    private static Optional<Dataset> dataset(ObjectNode obj, String p, ConfigReader r) {
        if (r.field(obj, "dataset").isEmpty()) {
            r.error(child(p, "dataset"), "is required");
            return Optional.empty();
        }
        Optional<String> name = r.string(obj, p, "dataset", 100);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<Dataset> dataset = Dataset.byName(name.get());
        if (dataset.isEmpty()) {
            r.error(child(p, "dataset"), "unknown dataset " + quote(name.get()) + "; known: "
                    + String.join(", ", Dataset.names()));
        }
        return dataset;
    }

    private Optional<BatchLimits> limits(ObjectNode obj, String p, ConfigReader r) {
        int errorsBefore = r.errorCount();
        OptionalLong bytes = limit(obj, p, "max_upload_bytes", policy.minUploadBytes(),
                DeploymentPolicy.MAX_UPLOAD_BYTES, r);
        OptionalLong records = limit(obj, p, "max_upload_records", policy.minUploadRecords(),
                DeploymentPolicy.MAX_UPLOAD_RECORDS, r);
        OptionalLong seconds = limit(obj, p, "max_upload_interval_seconds", policy.minUploadInterval().toSeconds(),
                DeploymentPolicy.MAX_UPLOAD_INTERVAL.toSeconds(), r);
        BatchLimits defaults = BatchLimits.DEFAULT;
        Optional<String> frequency = r.string(obj, p, "frequency", 10);
        if (frequency.isPresent()) {
            switch (frequency.get()) {
                case "high" -> defaults = new BatchLimits(0, 100_000, Duration.ofSeconds(30));
                case "low" -> defaults = new BatchLimits(0, 1_000_000, Duration.ofMinutes(5));
                default -> r.error(child(p, "frequency"), "must be high or low, was " + quote(frequency.get()));
            }
        }
        if (r.errorCount() != errorsBefore) {
            return Optional.empty();
        }
        long maxBytes = bytes.orElse(defaults.maxBytes());
        long maxRecords = records.orElse(defaults.maxRecords());
        Duration interval = seconds.isPresent() ? Duration.ofSeconds(seconds.getAsLong()) : defaults.maxInterval();
        if (maxBytes == 0 && maxRecords == 0 && interval.isZero()) {
            r.error(p, "at least one of max_upload_bytes, max_upload_records and max_upload_interval_seconds"
                    + " must be non-zero, or no batch would ever close");
            return Optional.empty();
        }
        return Optional.of(new BatchLimits(maxBytes, maxRecords, interval));
    }

    private static OptionalLong limit(ObjectNode obj, String p, String name, long min, long max, ConfigReader r) {
        OptionalLong value = r.integer(obj, p, name);
        if (value.isPresent() && value.getAsLong() != 0 && (value.getAsLong() < min || value.getAsLong() > max)) {
            r.error(child(p, name), "must be 0 (off) or between " + min + " and " + max + ", was " + value.getAsLong());
            return OptionalLong.empty();
        }
        return value;
    }

    private static Optional<OutputOptions> outputOptions(ObjectNode obj, String p, Dataset dataset, ConfigReader r) {
        Optional<String> logpull = r.string(obj, p, "logpull_options", 4096);
        if (r.field(obj, "output_options").isPresent()) {
            return OutputOptions.parse(obj.get("output_options"), child(p, "output_options"), dataset, r);
        }
        if (logpull.isPresent()) {
            String at = child(p, "logpull_options");
            return LogpullOptions.toOutputOptions(logpull.get(), at, r)
                    .flatMap(translated -> OutputOptions.parse(translated, at, dataset, r));
        }
        return OutputOptions.parse(JSON.createObjectNode(), child(p, "output_options"), dataset, r);
    }
}
