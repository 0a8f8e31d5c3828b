package io.logpush.config.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpush.config.ConfigReader;
import io.logpush.config.Dataset;
import io.logpush.config.FieldType;
import io.logpush.config.output.EventTimestamps;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

import static io.logpush.config.ConfigReader.child;
import static io.logpush.config.ConfigReader.describe;
import static io.logpush.config.ConfigReader.index;
import static io.logpush.config.ConfigReader.quote;

/**
 * Compiles Cloudflare's filter grammar, {@code {"where": {"and"|"or": [...]}}} with
 * {@code {"key","operator","value"}} leaves, into an {@link EventFilter}, checking every field and
 * value against the dataset's field types.
 */
public final class FilterParser {

    /**
     * Cloudflare's limits: at most 30 operators and 1,000 bytes of filter JSON. Operators count
     * comparisons and and/or nodes alike (31 comparisons alone could never fit in 1,000 bytes).
     */
    public static final int MAX_OPERATORS = 30;
    public static final int MAX_BYTES = 1_000;
    private static final int MAX_DEPTH = 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dataset dataset;
    private final ConfigReader reader;
    private int operators;

    private FilterParser(Dataset dataset, ConfigReader reader) {
        this.dataset = dataset;
        this.reader = reader;
    }

    /**
     * Compiles the {@code filter} field: an object, an escaped JSON string, or null/empty for no
     * filter. Records errors under {@code path} and returns empty when the filter is invalid.
     */
    public static Optional<EventFilter> parse(JsonNode filter, String path, Dataset dataset, ConfigReader reader) {
        if (filter == null || filter.isNull() || (filter.isTextual() && filter.textValue().isBlank())) {
            return Optional.of(EventFilter.MATCH_ALL);
        }
        JsonNode tree = filter;
        String text;
        if (filter.isTextual()) {
            text = filter.textValue();
            try {
                tree = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                reader.error(path, "is not valid JSON: " + ConfigReader.jsonProblem(e));
                return Optional.empty();
            }
        } else {
            text = filter.toString();
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            reader.error(path, "must be at most " + MAX_BYTES + " bytes, was " + bytes);
            return Optional.empty();
        }
        int errorsBefore = reader.errorCount();
        Optional<ObjectNode> root = reader.object(tree, path);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        reader.rejectUnknownFields(root.get(), path, Set.of("where"));
        JsonNode where = root.get().get("where");
        if (where == null || where.isNull()) {
            reader.error(child(path, "where"), "is required");
            return Optional.empty();
        }
        FilterParser parser = new FilterParser(dataset, reader);
        EventFilter compiled = parser.node(where, child(path, "where"), 0);
        if (parser.operators > MAX_OPERATORS) {
            reader.error(path, "must have at most " + MAX_OPERATORS + " operators (comparisons and and/or), has "
                    + parser.operators);
        }
        return reader.errorCount() == errorsBefore ? Optional.of(compiled) : Optional.empty();
    }

    private EventFilter node(JsonNode node, String path, int depth) {
        Optional<ObjectNode> maybe = reader.object(node, path);
        if (maybe.isEmpty()) {
            return EventFilter.MATCH_ALL;
        }
        if (depth > MAX_DEPTH) {
            reader.error(path, "is nested deeper than " + MAX_DEPTH + " levels");
            return EventFilter.MATCH_ALL;
        }
        ObjectNode obj = maybe.get();
        boolean hasAnd = obj.has("and");
        boolean hasOr = obj.has("or");
        if (hasAnd || hasOr) {
            if (hasAnd && hasOr || obj.size() != 1) {
                reader.error(path, "must have exactly one of \"and\" or \"or\"");
                return EventFilter.MATCH_ALL;
            }
            operators++;
            String op = hasAnd ? "and" : "or";
            String at = child(path, op);
            JsonNode list = obj.get(op);
            if (!(list instanceof ArrayNode array) || array.isEmpty()) {
                reader.error(at, "must be a non-empty array, was " + describe(list));
                return EventFilter.MATCH_ALL;
            }
            List<EventFilter> parts = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                parts.add(node(array.get(i), index(at, i), depth + 1));
            }
            return hasAnd ? new EventFilter.All(parts) : new EventFilter.Any(parts);
        }
        return condition(obj, path);
    }

    private EventFilter condition(ObjectNode obj, String path) {
        operators++;
        reader.rejectUnknownFields(obj, path, Set.of("key", "operator", "value"));
        Optional<String> key = reader.string(obj, path, "key", 200);
        Optional<String> opToken = reader.string(obj, path, "operator", 50);
        if (!obj.has("key")) {
            reader.error(child(path, "key"), "is required");
        }
        if (!obj.has("operator")) {
            reader.error(child(path, "operator"), "is required");
        }
        JsonNode value = obj.get("value");
        if (value == null) {
            reader.error(child(path, "value"), "is required");
        }
        if (key.isEmpty() || opToken.isEmpty() || value == null) {
            return EventFilter.MATCH_ALL;
        }
        Optional<FilterOperator> op = FilterOperator.byToken(opToken.get());
        if (op.isEmpty()) {
            reader.error(child(path, "operator"), "unknown operator " + quote(opToken.get())
                    + "; expected one of " + FilterOperator.tokens());
            return EventFilter.MATCH_ALL;
        }
        Optional<FieldType> type = dataset.fieldType(key.get());
        if (type.isEmpty()) {
            reader.error(child(path, "key"), "unknown field " + quote(key.get()) + " for dataset " + dataset.name());
            return EventFilter.MATCH_ALL;
        }
        if (type.get() == FieldType.OBJECT) {
            reader.error(child(path, "key"), "field " + key.get() + " is an object and cannot be filtered");
            return EventFilter.MATCH_ALL;
        }
        if (!op.get().accepts(type.get())) {
            reader.error(child(path, "operator"), op.get().token() + " does not apply to " + key.get()
                    + " (" + typeName(type.get()) + "); it applies to " + typeNames(op.get().acceptedTypes()));
            return EventFilter.MATCH_ALL;
        }
        Predicate<JsonNode> positive = compile(key.get(), type.get(), op.get(), value, child(path, "value"));
        // Interned, as an event's parsed field names are: the router's field lookups compare references first.
        return positive == null ? EventFilter.MATCH_ALL : new EventFilter.Condition(key.get().intern(), op.get(), positive);
    }

    /** The positive form of the comparison; negation is applied by {@link EventFilter.Condition}. */
    private Predicate<JsonNode> compile(String field, FieldType type, FilterOperator op, JsonNode value, String path) {
        switch (op) {
            case EQ, NOT_EQ -> {
                return equalTo(field, type, value, path);
            }
            case LT, LEQ, GT, GEQ -> {
                return compare(field, type, op, value, path);
            }
            case STARTS_WITH, NOT_STARTS_WITH, ENDS_WITH, NOT_ENDS_WITH -> {
                String s = stringValue(value, path);
                if (s == null) {
                    return null;
                }
                boolean starts = op == FilterOperator.STARTS_WITH || op == FilterOperator.NOT_STARTS_WITH;
                return v -> starts ? text(v, field).startsWith(s) : text(v, field).endsWith(s);
            }
            case CONTAINS, NOT_CONTAINS -> {
                if (type == FieldType.STRING) {
                    String s = stringValue(value, path);
                    return s == null ? null : v -> text(v, field).contains(s);
                }
                if (!value.isValueNode() || value.isNull()) {
                    reader.error(path, "must be a string or number to look for in array " + field + ", was " + describe(value));
                    return null;
                }
                return v -> arrayContains(v, field, value);
            }
            case IN, NOT_IN -> {
                return in(field, type, value, path);
            }
            default -> throw new IllegalStateException("unhandled operator " + op);
        }
    }

    private Predicate<JsonNode> equalTo(String field, FieldType type, JsonNode value, String path) {
        switch (type) {
            case STRING -> {
                String s = stringValue(value, path);
                return s == null ? null : v -> text(v, field).equals(s);
            }
            case BOOL -> {
                Boolean b = value.isBoolean() ? Boolean.valueOf(value.booleanValue())
                        : value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))
                                ? Boolean.valueOf(value.textValue()) : null;
                if (b == null) {
                    reader.error(path, "must be true or false for " + field + ", was " + describe(value));
                    return null;
                }
                boolean expected = b;
                return v -> bool(v, field) == expected;
            }
            case FLOAT -> {
                Double d = doubleValue(value, path);
                return d == null ? null : v -> number(v, field) == d;
            }
            default -> {
                OptionalLong l = longValue(field, type, value, path);
                return l.isEmpty() ? null : v -> integer(v, field, type) == l.getAsLong();
            }
        }
    }

    private Predicate<JsonNode> compare(String field, FieldType type, FilterOperator op, JsonNode value, String path) {
        if (type == FieldType.FLOAT) {
            Double d = doubleValue(value, path);
            if (d == null) {
                return null;
            }
            double bound = d;
            return switch (op) {
                case LT -> v -> number(v, field) < bound;
                case LEQ -> v -> number(v, field) <= bound;
                case GT -> v -> number(v, field) > bound;
                default -> v -> number(v, field) >= bound;
            };
        }
        OptionalLong l = longValue(field, type, value, path);
        if (l.isEmpty()) {
            return null;
        }
        long bound = l.getAsLong();
        return switch (op) {
            case LT -> v -> integer(v, field, type) < bound;
            case LEQ -> v -> integer(v, field, type) <= bound;
            case GT -> v -> integer(v, field, type) > bound;
            default -> v -> integer(v, field, type) >= bound;
        };
    }

    private Predicate<JsonNode> in(String field, FieldType type, JsonNode value, String path) {
        if (!(value instanceof ArrayNode array) || array.isEmpty()) {
            reader.error(path, "must be a non-empty array for in/!in, was " + describe(value));
            return null;
        }
        if (type == FieldType.STRING) {
            Set<String> set = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                String s = stringValue(array.get(i), index(path, i));
                if (s != null) {
                    set.add(s);
                }
            }
            return v -> set.contains(text(v, field));
        }
        Set<Long> set = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            longValue(field, type, array.get(i), index(path, i)).ifPresent(set::add);
        }
        return v -> set.contains(integer(v, field, type));
    }

    private String stringValue(JsonNode value, String path) {
        if (!value.isTextual()) {
            reader.error(path, "must be a string, was " + describe(value));
            return null;
        }
        return value.textValue();
    }

    private Double doubleValue(JsonNode value, String path) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.textValue().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        reader.error(path, "must be a number, was " + describe(value));
        return null;
    }

    /**
     * An integer (quoted or not). Timestamps compare as epoch nanoseconds: an integer in the
     * field's own unit or an RFC 3339 string.
     */
    private OptionalLong longValue(String field, FieldType type, JsonNode value, String path) {
        if (type.isTimestamp() && value.isTextual() && value.textValue().contains("T")) {
            try {
                return OptionalLong.of(EventTimestamps.epochNanos(value, type, field));
            } catch (EventFieldException e) {
                reader.error(path, "must be an integer or an RFC 3339 timestamp, was " + describe(value));
                return OptionalLong.empty();
            }
        }
        OptionalLong l = ConfigReader.asLong(value);
        if (l.isEmpty()) {
            reader.error(path, "must be an integer for " + field + ", was " + describe(value));
            return l;
        }
        return type == FieldType.TIMESTAMP_MS ? OptionalLong.of(l.getAsLong() * 1_000_000L) : l;
    }

    // --- evaluation helpers: a value of the wrong type is a data error of the event ---

    private static String text(JsonNode v, String field) {
        if (!v.isTextual()) {
            throw new EventFieldException(field + ": expected a string, was " + v.getNodeType().name().toLowerCase());
        }
        return v.textValue();
    }

    private static boolean bool(JsonNode v, String field) {
        if (!v.isBoolean()) {
            throw new EventFieldException(field + ": expected true or false, was " + v.getNodeType().name().toLowerCase());
        }
        return v.booleanValue();
    }

    private static double number(JsonNode v, String field) {
        if (!v.isNumber()) {
            throw new EventFieldException(field + ": expected a number, was " + v.getNodeType().name().toLowerCase());
        }
        return v.doubleValue();
    }

    /** The value as an integer; timestamps as epoch nanoseconds. */
    private static long integer(JsonNode v, String field, FieldType type) {
        if (type.isTimestamp()) {
            return EventTimestamps.epochNanos(v, type, field);
        }
        if (!v.isIntegralNumber()) {
            throw new EventFieldException(field + ": expected an integer, was " + v.getNodeType().name().toLowerCase());
        }
        return v.longValue();
    }

    private static boolean arrayContains(JsonNode v, String field, JsonNode wanted) {
        if (!v.isArray()) {
            throw new EventFieldException(field + ": expected an array, was " + v.getNodeType().name().toLowerCase());
        }
        for (JsonNode element : v) {
            if (element.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String typeName(FieldType type) {
        return type.isTimestamp() ? "timestamp" : type.name().toLowerCase();
    }

    private static String typeNames(Set<FieldType> types) {
        return String.join(", ", types.stream().map(FilterParser::typeName).distinct().toList());
    }
}
