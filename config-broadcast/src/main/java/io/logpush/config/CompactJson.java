package io.logpush.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parsed job's JSON in compact form, written from the tree only when first asked for: most
 * parses compile a job into what one operator needs and never ask (writing it was a quarter of a
 * parse). Equal when the texts are.
 */
public final class CompactJson {

    private final JsonNode tree;
    /** Written on first use; a race writes the same text twice, harmlessly. */
    private volatile String text;

    CompactJson(JsonNode tree) {
        this.tree = tree;
    }

    public String text() {
        String t = text;
        if (t == null) {
            t = tree.toString();
            text = t;
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompactJson other && text().equals(other.text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
