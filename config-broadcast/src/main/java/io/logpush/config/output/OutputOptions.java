package io.logpush.config.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpush.config.ConfigReader;
import io.logpush.config.Dataset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import static io.logpush.config.ConfigReader.child;
import static io.logpush.config.ConfigReader.describe;
import static io.logpush.config.ConfigReader.index;
import static io.logpush.config.ConfigReader.quote;

/**
 * A job's {@code output_options}, with Cloudflare's defaults filled in: which fields, in which
 * format, with which framing around records and batches, and which sample of events.
 *
 * @param fieldNames the fields to write, in order; empty writes every dataset field the event has
 */
public record OutputOptions(
        List<String> fieldNames,
        OutputType outputType,
        TimestampFormat timestampFormat,
        double sampleRate,
        String batchPrefix,
        String batchSuffix,
        String recordPrefix,
        String recordSuffix,
        String recordDelimiter,
        String fieldDelimiter,
        Optional<RecordTemplate> recordTemplate,
        boolean cve202144228) {

    static final Set<String> FIELDS = Set.of(
            "field_names", "output_type", "timestamp_format", "sample_rate", "batch_prefix", "batch_suffix",
            "record_prefix", "record_suffix", "record_delimiter", "field_delimiter", "record_template",
            "CVE-2021-44228");
    private static final int MAX_FRAMING = 4096;

    public OutputOptions {
        fieldNames = List.copyOf(fieldNames);
        Objects.requireNonNull(outputType, "outputType");
        Objects.requireNonNull(timestampFormat, "timestampFormat");
        Objects.requireNonNull(recordTemplate, "recordTemplate");
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sampleRate must be in (0, 1]");
        }
    }

    /** Every field as ndjson with nanosecond timestamps: what a job without options gets. */
    public static OutputOptions defaults() {
        return parse(JsonNodeFactory.instance.objectNode(), "$.output_options", null, new ConfigReader()).orElseThrow();
    }

    /**
     * Parses an {@code output_options} object; with a dataset, field names are checked against it.
     * Records errors under {@code path}.
     */
    public static Optional<OutputOptions> parse(JsonNode node, String path, Dataset dataset, ConfigReader reader) {
        Optional<ObjectNode> maybe = reader.object(node, path);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        int errorsBefore = reader.errorCount();
        ObjectNode obj = maybe.get();
        reader.rejectUnknownFields(obj, path, FIELDS);

        List<String> fields = fieldNames(obj, path, dataset, reader);
        OutputType type = OutputType.NDJSON;
        Optional<String> typeToken = reader.string(obj, path, "output_type", 20);
        if (typeToken.isPresent()) {
            if (typeToken.get().equals("csv")) {
                type = OutputType.CSV;
            } else if (!typeToken.get().equals("ndjson")) {
                reader.error(child(path, "output_type"), "must be ndjson or csv, was " + quote(typeToken.get()));
            }
        }
        TimestampFormat timestamps = TimestampFormat.UNIXNANO;
        Optional<String> tsToken = reader.string(obj, path, "timestamp_format", 20);
        if (tsToken.isPresent()) {
            Optional<TimestampFormat> parsed = TimestampFormat.byToken(tsToken.get());
            if (parsed.isEmpty()) {
                reader.error(child(path, "timestamp_format"), "must be one of unixnano, unix, rfc3339, rfc3339ms,"
                        + " rfc3339ns, was " + quote(tsToken.get()));
            }
            timestamps = parsed.orElse(timestamps);
        }
        double rate = 1.0;
        OptionalDouble sample = reader.number(obj, path, "sample_rate");
        if (sample.isPresent()) {
            if (sample.getAsDouble() > 0 && sample.getAsDouble() <= 1) {
                rate = sample.getAsDouble();
            } else {
                reader.error(child(path, "sample_rate"), "must be greater than 0 and at most 1, was " + obj.get("sample_rate"));
            }
        }
        Optional<RecordTemplate> template = reader.string(obj, path, "record_template", MAX_FRAMING)
                .flatMap(t -> RecordTemplate.parse(t, child(path, "record_template"), reader));
        if (template.isPresent() && dataset != null) {
            for (String field : template.get().fieldNames()) {
                if (dataset.fieldType(field).isEmpty()) {
                    reader.error(child(path, "record_template"), "unknown field " + quote(field) + " for dataset " + dataset.name());
                }
            }
        }
        if (type == OutputType.CSV && reader.field(obj, "field_names").isEmpty() && template.isEmpty()) {
            reader.error(child(path, "field_names"), "is required when output_type is csv");
        }
        boolean json = type == OutputType.NDJSON && template.isEmpty();
        String recordPrefix = framing(obj, path, "record_prefix", reader).orElse(json ? "{" : "");
        String recordSuffix = framing(obj, path, "record_suffix", reader).orElse(json ? "}\n" : "\n");
        String recordDelimiter = framing(obj, path, "record_delimiter", reader).orElse("");
        String fieldDelimiter = framing(obj, path, "field_delimiter", reader).orElse(",");
        String batchPrefix = framing(obj, path, "batch_prefix", reader).orElse("");
        String batchSuffix = framing(obj, path, "batch_suffix", reader).orElse("");
        boolean cve = reader.bool(obj, path, "CVE-2021-44228").orElse(false);
        if (reader.errorCount() != errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new OutputOptions(fields, type, timestamps, rate, batchPrefix, batchSuffix,
                recordPrefix, recordSuffix, recordDelimiter, fieldDelimiter, template, cve));
    }

    private static List<String> fieldNames(ObjectNode obj, String path, Dataset dataset, ConfigReader reader) {
        Optional<JsonNode> node = reader.field(obj, "field_names");
        if (node.isEmpty()) {
            return List.of();
        }
        String at = child(path, "field_names");
        if (!(node.get() instanceof ArrayNode array) || array.isEmpty()) {
            reader.error(at, "must be a non-empty array of field names, was " + describe(node.get()));
            return List.of();
        }
        List<String> fields = new ArrayList<>(array.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode f = array.get(i);
            if (!f.isTextual()) {
                reader.error(index(at, i), "must be a string, was " + describe(f));
            } else if (dataset != null && dataset.fieldType(f.textValue()).isEmpty()) {
                reader.error(index(at, i), "unknown field " + quote(f.textValue()) + " for dataset " + dataset.name());
            } else if (!seen.add(f.textValue())) {
                reader.error(index(at, i), "duplicate field " + quote(f.textValue()));
            } else {
                // Interned: a known field name (bounded), held once instead of once per job and operator instance.
                fields.add(f.textValue().intern());
            }
        }
        return fields;
    }

    private static Optional<String> framing(ObjectNode obj, String path, String name, ConfigReader reader) {
        return reader.string(obj, path, name, MAX_FRAMING);
    }
}
