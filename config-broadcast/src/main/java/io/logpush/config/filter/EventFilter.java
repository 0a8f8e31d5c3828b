package io.logpush.config.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A compiled Logpush filter: a predicate over one parsed event. Built once per config version by
 * {@link FilterParser}; evaluating it allocates nothing.
 */
public sealed interface EventFilter permits EventFilter.All, EventFilter.Any, EventFilter.Condition, EventFilter.MatchAll {

    /** The filter of a job that has none: every event passes. */
    EventFilter MATCH_ALL = new MatchAll();

    /**
     * Whether the event passes.
     *
     * @throws EventFieldException when a filtered field holds a value of the wrong type
     */
    boolean test(JsonNode event);

    /** The top-level event fields the filter reads (so a parser may skip the others). */
    default Set<String> fields() {
        Set<String> fields = new HashSet<>();
        collectFields(fields);
        return fields;
    }

    /** Adds the fields this filter reads to {@code fields}. */
    void collectFields(Set<String> fields);

    /** Passes when every part passes ({@code "and"}). */
    record All(List<EventFilter> parts) implements EventFilter {
        public All {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean test(JsonNode event) {
            for (EventFilter part : parts) {
                if (!part.test(event)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void collectFields(Set<String> fields) {
            parts.forEach(part -> part.collectFields(fields));
        }
    }

    /** Passes when any part passes ({@code "or"}). */
    record Any(List<EventFilter> parts) implements EventFilter {
        public Any {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean test(JsonNode event) {
            for (EventFilter part : parts) {
                if (part.test(event)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void collectFields(Set<String> fields) {
            parts.forEach(part -> part.collectFields(fields));
        }
    }

    /**
     * One {@code {"key", "operator", "value"}} leaf. A missing or null field fails a positive
     * operator and passes a negated one.
     */
    record Condition(String field, FilterOperator operator, Predicate<JsonNode> positive) implements EventFilter {
        @Override
        public boolean test(JsonNode event) {
            JsonNode value = event.get(field);
            boolean matches = value != null && !(value instanceof NullNode) && positive.test(value);
            return operator.negated() != matches;
        }

        @Override
        public void collectFields(Set<String> fields) {
            fields.add(field);
        }
    }

    /** The always-true filter. */
    record MatchAll() implements EventFilter {
        @Override
        public boolean test(JsonNode event) {
            return true;
        }

        @Override
        public void collectFields(Set<String> fields) {}
    }
}
