package io.logpush.config.output;

import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.logpush.config.Dataset;
import io.logpush.config.FieldType;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Encodes one event as one record of a job's batch, following its {@link OutputOptions}: field
 * selection, ndjson / csv / template rendering, timestamp format and the CVE-2021-44228 rewrite.
 * The batch framing ({@code batch_prefix}, {@code record_delimiter}, ...) is the batch writer's.
 *
 * <p>Immutable but for its buffer, so jobs with the same options and dataset can share one. Not
 * thread-safe: encoders reuse a buffer, which the encoders of one operator instance share (one
 * buffer per job would cost every parallel instance half a kilobyte per job).
 */
public final class RecordEncoder {

    /** Jackson's escapes for the ASCII characters: non-zero for those a JSON string cannot hold as they are. */
    private static final int[] JSON_ESCAPES = CharTypes.get7BitOutputEscapes();

    private final OutputOptions options;
    private final Dataset dataset;
    private final boolean csv;
    private final StringBuilder out;
    /** The type of each of {@code field_names}, looked up once rather than per record. */
    private final FieldType[] fieldTypes;
    /** What precedes each of {@code field_names}' values: delimiter and quoted name, escaped once rather than per record. */
    private final String[] fieldLeads;
    private final Optional<Set<String>> fields;

    /** An encoder with a buffer of its own. */
    public RecordEncoder(OutputOptions options, Dataset dataset) {
        this(options, dataset, new StringBuilder(512));
    }

    /** An encoder that renders into {@code buffer}, which other encoders of the same thread may share. */
    public RecordEncoder(OutputOptions options, Dataset dataset, StringBuilder buffer) {
        this.options = options;
        this.dataset = dataset;
        this.csv = options.outputType() == OutputType.CSV;
        this.out = buffer;
        this.fieldTypes = options.fieldNames().stream().map(this::typeOf).toArray(FieldType[]::new);
        this.fieldLeads = new String[fieldTypes.length];
        for (int i = 0; i < fieldLeads.length; i++) {
            StringBuilder lead = new StringBuilder(i > 0 ? options.fieldDelimiter() : "");
            if (!csv) {
                lead.append('"');
                JsonStringEncoder.getInstance().quoteAsString(options.fieldNames().get(i), lead);
                lead.append("\":");
            }
            fieldLeads[i] = lead.toString().intern(); // encoders with the same fields share them
        }
        if (options.recordTemplate().isPresent()) {
            this.fields = Optional.of(Set.copyOf(options.recordTemplate().get().fieldNames()));
        } else {
            this.fields = options.fieldNames().isEmpty() ? Optional.empty() : Optional.of(Set.copyOf(options.fieldNames()));
        }
    }

    /**
     * The top-level event fields the records are made of, or empty when every field the event has
     * is written (no {@code field_names} and no template).
     */
    public Optional<Set<String>> fields() {
        return fields;
    }

    /**
     * The record for {@code event} as UTF-8 bytes, including record prefix and suffix.
     *
     * @throws io.logpush.config.filter.EventFieldException when a timestamp field cannot be read
     */
    public byte[] encode(JsonNode event) {
        out.setLength(0);
        out.append(options.recordPrefix());
        if (options.recordTemplate().isPresent()) {
            renderTemplate(event, options.recordTemplate().get());
        } else if (options.fieldNames().isEmpty()) {
            renderAllFields(event);
        } else {
            renderFields(event, options.fieldNames());
        }
        out.append(options.recordSuffix());
        String record = out.toString();
        if (options.cve202144228()) {
            record = record.replace("${", "x{");
        }
        return record.getBytes(StandardCharsets.UTF_8);
    }

    private void renderFields(JsonNode event, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            out.append(fieldLeads[i]);
            appendValue(field, fieldTypes[i], event.get(field));
        }
    }

    private void renderAllFields(JsonNode event) {
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (dataset.fieldType(entry.getKey()).isEmpty()) {
                continue;
            }
            if (!first) {
                out.append(options.fieldDelimiter());
            }
            first = false;
            appendJsonString(entry.getKey());
            out.append(':');
            appendValue(entry.getKey(), typeOf(entry.getKey()), entry.getValue());
        }
    }

    private void renderTemplate(JsonNode event, RecordTemplate template) {
        List<String> allowed = options.fieldNames();
        for (RecordTemplate.Part part : template.parts()) {
            if (part instanceof RecordTemplate.Text text) {
                out.append(text.text());
            } else {
                String field = ((RecordTemplate.Field) part).name();
                // Cloudflare: a field that is not in field_names renders as null.
                boolean selected = allowed.isEmpty() || allowed.contains(field);
                appendValue(field, typeOf(field), selected ? event.get(field) : null);
            }
        }
    }

    private FieldType typeOf(String field) {
        return dataset.fieldType(field).orElse(FieldType.STRING);
    }

    // Node kinds are told apart by instanceof, a type check, rather than by isNull()/isTextual()/isInt(),
    // each a call that cannot be inlined where every kind of node passes: they were 5% of the router's time.
    private void appendValue(String field, FieldType type, JsonNode value) {
        if (value == null || value instanceof NullNode) {
            out.append(csv ? "" : "null");
            return;
        }
        if (type.isTimestamp()) {
            TimestampFormat format = options.timestampFormat();
            boolean quoted = !format.numeric() && !csv;
            if (quoted) {
                out.append('"');
            }
            format.appendTo(out, EventTimestamps.epochNanos(value, type, field));
            if (quoted) {
                out.append('"');
            }
            return;
        }
        if (value instanceof TextNode text) {
            if (csv) {
                appendCsv(text.textValue());
            } else {
                appendJsonString(text.textValue());
            }
        } else if (value instanceof IntNode number) {
            out.append(number.intValue()); // as asText() renders it, without a String per value
        } else if (value instanceof LongNode number) {
            out.append(number.longValue());
        } else if (value.isValueNode()) {
            out.append(value.asText());
        } else if (csv) {
            appendCsv(value.toString());
        } else {
            out.append(value.toString());
        }
    }

    private void appendJsonString(String s) {
        out.append('"');
        if (needsJsonEscapes(s)) {
            JsonStringEncoder.getInstance().quoteAsString(s, out);
        } else {
            out.append(s); // most values: one bulk copy instead of Jackson's append per character
        }
        out.append('"');
    }

    private static boolean needsJsonEscapes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < JSON_ESCAPES.length && JSON_ESCAPES[c] != 0) {
                return true;
            }
        }
        return false;
    }

    /** RFC 4180 quoting: quote when the value holds the delimiter, a quote or a line break. */
    private void appendCsv(String s) {
        String delimiter = options.fieldDelimiter();
        boolean quote = s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!delimiter.isEmpty() && s.contains(delimiter));
        if (!quote) {
            out.append(s);
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }
}
