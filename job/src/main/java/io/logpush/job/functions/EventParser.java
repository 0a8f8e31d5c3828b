package io.logpush.job.functions;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses one event, a JSON object, keeping only the top-level fields its jobs read: the rest is
 * tokenized (so the whole event is still checked: syntax, UTF-8, duplicate keys, nesting depth,
 * trailing tokens) but not turned into strings and nodes, except a skipped field's nested object or
 * array (rare), which is read as a tree to check its keys. Building the whole tree was a quarter of
 * the pipeline's CPU time when jobs read 9 of an event's 20 fields.
 *
 * <p>Events of one producer list their fields in one order: each name is first compared with the
 * one at its position in the event before, and names that match a valid event's are known to be
 * distinct, so most events are read without a symbol-table lookup or a duplicate check per name.
 *
 * <p>Kept values are the nodes {@link ObjectMapper#readTree} would build (an {@code IntNode} for a
 * small integer, a {@code DoubleNode} for a fraction), so filters and encoders see the same event.
 * Not thread-safe: one per operator instance.
 */
public final class EventParser {

    private static final int MAX_NAMES = 1_024;

    // Duplicate keys: at the top level by SeenNames (Jackson's own detection builds a HashSet per
    // event, a tenth of the router's time); nested objects are rare and read as trees, which check.
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    private final JsonNodeFactory nodes = json.getNodeFactory();
    private final SeenNames seen = new SeenNames();
    /** The top-level names of the last event parsed, by position (the first {@code layout.length}). */
    private final SerializableString[] layout = new SerializableString[64];
    /** Names seen, as Jackson's byte-comparable strings: the first {@link #MAX_NAMES}, so crafted events cannot grow it. */
    private final Map<String, SerializableString> names = new IdentityHashMap<>();
    /** How many of {@link #layout}'s names are those of a whole valid event (so distinct). */
    private int distinct;
    /** Whether {@link #nextName} found the name at its position in {@link #layout}. */
    private boolean nameMatched;

    public EventParser(int maxNestingDepth) {
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build());
    }

    /**
     * The event's kept fields, or null when the value is not a JSON object.
     *
     * @param fields the top-level fields to keep; null keeps every field
     * @throws IOException when the value is not valid JSON (the message says why)
     */
    public ObjectNode parse(byte[] value, Set<String> fields) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            EventFields kept = new EventFields(fields == null ? 32 : fields.size());
            seen.clear();
            // While the names match a prefix of an earlier valid event's, they are distinct without a check.
            boolean checked = false;
            int position = 0;
            for (; ; position++) {
                String name = nextName(parser, position);
                if (name == null) {
                    break;
                }
                if (checked || !nameMatched || position >= distinct) {
                    if (!checked) {
                        checked = true;
                        for (int i = 0; i < position; i++) {
                            seen.add(layout[i].getValue());
                        }
                    }
                    if (!seen.add(name)) {
                        throw new JsonParseException(parser, "Duplicate field '" + name + "'");
                    }
                }
                JsonToken token = parser.nextToken();
                if (fields == null || fields.contains(name)) {
                    kept.append(name, value(parser, token));
                } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    json.readTree(parser); // checked as a kept one is (duplicate keys included), then dropped
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") after the event's object");
            }
            distinct = Math.min(position, layout.length);
            return new ObjectNode(nodes, kept);
        }
    }

    /**
     * The name of the event's next top-level field, which is at {@code position}, or null after the
     * last. Events of one producer list their fields in one order, so the name is first compared, as
     * bytes, with the one at that position in the event before (Jackson's {@code nextFieldName}),
     * which spares hashing it and looking it up in Jackson's symbol table: a fifth of the router's time.
     */
    private String nextName(JsonParser parser, int position) throws IOException {
        SerializableString expected = position < layout.length ? layout[position] : null;
        JsonToken token;
        if (expected == null) {
            token = parser.nextToken();
        } else if (parser.nextFieldName(expected)) {
            nameMatched = true;
            return expected.getValue();
        } else {
            token = parser.currentToken(); // not that name: the parser has read the next token anyway
        }
        if (token != JsonToken.FIELD_NAME) {
            return null;
        }
        nameMatched = false;
        String name = parser.currentName();
        if (position < layout.length) {
            distinct = Math.min(distinct, position);
            // Jackson's names are canonical (one instance per name), and a few distinct ones are kept,
            // so an event whose fields come in another order does not encode names again.
            SerializableString known = names.get(name);
            if (known == null) {
                known = new SerializedString(name);
                if (names.size() < MAX_NAMES) {
                    names.put(name, known);
                }
            }
            layout[position] = known;
        }
        return name;
    }

    /**
     * The top-level names of the event being parsed: an open-addressing table emptied per event by
     * a new generation stamp, so that checking a name costs a probe and allocates nothing. Past
     * {@link #MAX_PROBED} names a {@code HashSet} takes over: it keeps names with equal hash codes in
     * a tree, so names crafted to collide cannot make the check quadratic.
     */
    private static final class SeenNames {
        private static final int MAX_PROBED = 128;
        private final String[] names = new String[2 * MAX_PROBED];
        private final int[] stamps = new int[names.length];
        private int generation = 1;
        private int size;
        private Set<String> many;

        void clear() {
            size = 0;
            many = null;
            if (++generation == 0) {
                Arrays.fill(stamps, 0);
                generation = 1;
            }
        }

        /** Adds {@code name}; false if the event had it already. */
        boolean add(String name) {
            if (many != null) {
                return many.add(name);
            }
            if (size == MAX_PROBED) {
                many = new HashSet<>();
                for (int i = 0; i < names.length; i++) {
                    if (stamps[i] == generation) {
                        many.add(names[i]);
                    }
                }
                return many.add(name);
            }
            int mask = names.length - 1;
            int h = name.hashCode();
            for (int i = (h ^ (h >>> 16)) & mask; ; i = (i + 1) & mask) {
                if (stamps[i] != generation) {
                    names[i] = name;
                    stamps[i] = generation;
                    size++;
                    return true;
                }
                if (names[i] == name || names[i].equals(name)) {
                    return false;
                }
            }
        }
    }

    private JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.instance;
            // Objects, arrays and fractions: rare in events; databind builds them exactly as readTree does.
            default -> json.readTree(parser);
        };
    }
}
