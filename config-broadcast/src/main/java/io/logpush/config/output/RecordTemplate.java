package io.logpush.config.output;

import io.logpush.config.ConfigReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code record_template}: literal text, {@code {{ .Field }}} and {@code {{ "const" }}}.
 * Every other template action (pipes, functions, range, ...) is refused, so a template can only
 * ever print fields of the event it renders.
 */
public record RecordTemplate(String source, List<Part> parts) {

    private static final Pattern FIELD = Pattern.compile("\\s*\\.([A-Za-z][A-Za-z0-9_]*)\\s*");
    private static final Pattern CONST = Pattern.compile("\\s*\"((?:[^\"\\\\]|\\\\[\"\\\\nt])*)\"\\s*");

    /** One piece of a template. */
    public sealed interface Part permits Text, Field {}

    /** Literal text (including {@code {{ "const" }}} actions). */
    public record Text(String text) implements Part {}

    /** A {@code {{ .Field }}} action. */
    public record Field(String name) implements Part {}

    public RecordTemplate {
        parts = List.copyOf(parts);
    }

    public List<String> fieldNames() {
        return parts.stream().filter(p -> p instanceof Field).map(p -> ((Field) p).name()).toList();
    }

    /** Parses {@code source}; records errors under {@code path}. */
    public static Optional<RecordTemplate> parse(String source, String path, ConfigReader reader) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int pos = 0;
        while (pos < source.length()) {
            int open = source.indexOf("{{", pos);
            if (open < 0) {
                text.append(source, pos, source.length());
                break;
            }
            text.append(source, pos, open);
            int close = source.indexOf("}}", open + 2);
            if (close < 0) {
                reader.error(path, "unclosed {{ at offset " + open);
                return Optional.empty();
            }
            String action = source.substring(open + 2, close);
            Matcher field = FIELD.matcher(action);
            Matcher constant = CONST.matcher(action);
            if (field.matches()) {
                if (!text.isEmpty()) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Field(field.group(1).intern())); // as parsed event field names are
            } else if (constant.matches()) {
                text.append(unescape(constant.group(1)));
            } else {
                reader.error(path, "unsupported action {{" + action + "}} at offset " + open
                        + "; only {{ .Field }} and {{ \"text\" }} are allowed");
                return Optional.empty();
            }
            pos = close + 2;
        }
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
        }
        return Optional.of(new RecordTemplate(source, parts));
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
