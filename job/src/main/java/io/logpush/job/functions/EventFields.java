package io.logpush.job.functions;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The kept top-level fields of one event, in the event's order: the children map of the
 * {@code ObjectNode} that {@link EventParser} returns. A handful of fields is found faster by a
 * scan than by hashing: names are compared by reference first, since the parser's names and the
 * configs' field names are both interned. No entry objects are kept; iteration hands out read-only
 * snapshots.
 */
final class EventFields extends AbstractMap<String, JsonNode> {

    private String[] names;
    private JsonNode[] values;
    private int size;

    EventFields(int capacity) {
        names = new String[Math.max(capacity, 4)];
        values = new JsonNode[names.length];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public JsonNode get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public JsonNode put(String name, JsonNode value) {
        int i = indexOf(name);
        if (i >= 0) {
            JsonNode before = values[i];
            values[i] = value;
            return before;
        }
        append(name, value);
        return null;
    }

    /** Adds a field the map does not have: the parser has checked that the event's names are distinct. */
    void append(String name, JsonNode value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size++] = value;
    }

    @Override
    public JsonNode remove(Object name) {
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        JsonNode before = values[i];
        System.arraycopy(names, i + 1, names, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        names[--size] = null;
        values[size] = null;
        return before;
    }

    @Override
    public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    private int indexOf(Object name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, JsonNode>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, JsonNode> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }
        };
    }
}
