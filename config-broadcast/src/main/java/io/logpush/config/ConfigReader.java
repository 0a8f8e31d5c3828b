package io.logpush.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a JSON tree and collects a path-precise {@link ConfigError} for each
 * value of the wrong type, so that one pass reports every problem of a config, not only the first.
 */
public final class ConfigReader {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private final List<ConfigError> errors = new ArrayList<>();

    public void error(String path, String message) {
        errors.add(new ConfigError(path, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public int errorCount() {
        return errors.size();
    }

    public List<ConfigError> errors() {
        return List.copyOf(errors);
    }

    /** The path of {@code field} inside the object at {@code parent}: {@code $.a.b} or {@code $["a b"]}. */
    public static String child(String parent, String field) {
        return PLAIN_NAME.matcher(field).matches()
                ? parent + "." + field
                : parent + "[" + quote(field) + "]";
    }

    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    /** JSON-quotes a value for an error message, so odd characters stay visible and unambiguous. */
    public static String quote(String value) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(value).toString();
    }

    /** The node as an object, or empty after recording an error. */
    public Optional<ObjectNode> object(JsonNode node, String path) {
        if (node instanceof ObjectNode o) {
            return Optional.of(o);
        }
        error(path, "must be an object, was " + describe(node));
        return Optional.empty();
    }

    /** Records an error for each field of {@code obj} not in {@code allowed}. */
    public void rejectUnknownFields(ObjectNode obj, String path, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                error(child(path, name), "unknown field; expected one of " + String.join(", ", sorted(allowed)));
            }
        }
    }

    /** A present, non-null field. */
    public Optional<JsonNode> field(ObjectNode obj, String name) {
        JsonNode value = obj.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    public Optional<String> string(ObjectNode obj, String path, String name, int maxLength) {
        Optional<JsonNode> value = field(obj, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String at = child(path, name);
        if (!value.get().isTextual()) {
            error(at, "must be a string, was " + describe(value.get()));
            return Optional.empty();
        }
        String text = value.get().textValue();
        if (text.length() > maxLength) {
            error(at, "must be at most " + maxLength + " characters, was " + text.length());
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** An integer field; also accepts a quoted integer, as Cloudflare's API does. */
    public OptionalLong integer(ObjectNode obj, String path, String name) {
        Optional<JsonNode> value = field(obj, name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        OptionalLong parsed = asLong(value.get());
        if (parsed.isEmpty()) {
            error(child(path, name), "must be an integer, was " + describe(value.get()));
        }
        return parsed;
    }

    public OptionalDouble number(ObjectNode obj, String path, String name) {
        Optional<JsonNode> value = field(obj, name);
        if (value.isEmpty()) {
            return OptionalDouble.empty();
        }
        JsonNode node = value.get();
        if (node.isNumber()) {
            return OptionalDouble.of(node.doubleValue());
        }
        if (node.isTextual()) {
            try {
                return OptionalDouble.of(Double.parseDouble(node.textValue().trim()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        error(child(path, name), "must be a number, was " + describe(node));
        return OptionalDouble.empty();
    }

    public Optional<Boolean> bool(ObjectNode obj, String path, String name) {
        Optional<JsonNode> value = field(obj, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isBoolean()) {
            error(child(path, name), "must be true or false, was " + describe(value.get()));
            return Optional.empty();
        }
        return Optional.of(value.get().booleanValue());
    }

    /** The integer value of a number or of a string holding one; empty for anything else. */
    public static OptionalLong asLong(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return OptionalLong.of(node.longValue());
        }
        if (node.isTextual()) {
            try {
                return OptionalLong.of(Long.parseLong(node.textValue().trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** Jackson's reason for refusing a document, without its echo of the input source. */
    public static String jsonProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int source = message.indexOf(" (start marker at");
        if (source >= 0) {
            message = message.substring(0, source);
        }
        return e.getLocation() == null ? message
                : message + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** A short description of a JSON value for error messages. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            String text = node.textValue();
            return "the string " + quote(text.length() > 60 ? text.substring(0, 57) + "..." : text);
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return node.isEmpty() ? "an empty array" : "an array";
        }
        if (node.isBoolean()) {
            return String.valueOf(node.booleanValue());
        }
        return node.toString();
    }

    private static List<String> sorted(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        list.sort(null);
        return list;
    }
}
