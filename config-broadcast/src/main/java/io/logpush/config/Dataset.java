package io.logpush.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Logpush dataset: its scope (zone or account), its time field and the types of its fields.
 *
 * <p>The table lives in {@code datasets.json} next to this class, so adding a dataset or a field
 * is a data change.
 */
public final class Dataset {

    private static final Map<String, Dataset> KNOWN = load();

    private final String name;
    private final OwnerKind scope;
    private final String timestampField;
    private final Map<String, FieldType> fields;

    private Dataset(String name, OwnerKind scope, String timestampField, Map<String, FieldType> fields) {
        this.name = name;
        this.scope = scope;
        this.timestampField = timestampField;
        this.fields = Collections.unmodifiableMap(fields);
    }

    public static Optional<Dataset> byName(String name) {
        return Optional.ofNullable(KNOWN.get(name));
    }

    public static Set<String> names() {
        return KNOWN.keySet();
    }

    public String name() {
        return name;
    }

    public OwnerKind scope() {
        return scope;
    }

    /** The field that holds each event's time (used for {@code {DATE}} and batch names). */
    public String timestampField() {
        return timestampField;
    }

    /** Every field of the dataset, in the documented order. */
    public Map<String, FieldType> fields() {
        return fields;
    }

    public Optional<FieldType> fieldType(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    @Override
    public String toString() {
        return name;
    }

    private static Map<String, Dataset> load() {
        try (InputStream in = Dataset.class.getResourceAsStream("datasets.json")) {
            if (in == null) {
                throw new IllegalStateException("datasets.json is missing from the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Dataset> table = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode spec = entry.getValue();
                Map<String, FieldType> fields = new LinkedHashMap<>();
                spec.get("fields").fields().forEachRemaining(
                        f -> fields.put(f.getKey(), FieldType.parse(f.getValue().asText())));
                OwnerKind scope = spec.get("scope").asText().equals("zone") ? OwnerKind.ZONE : OwnerKind.ACCOUNT;
                table.put(entry.getKey(),
                        new Dataset(entry.getKey(), scope, spec.get("timestamp_field").asText(), fields));
            }
            return Collections.unmodifiableMap(table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read datasets.json", e);
        }
    }
}
