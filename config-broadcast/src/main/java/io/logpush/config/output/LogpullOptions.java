package io.logpush.config.output;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpush.config.ConfigReader;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static io.logpush.config.ConfigReader.quote;

/**
 * Translates the deprecated {@code logpull_options} string
 * ({@code fields=A,B&timestamps=rfc3339&sample=0.1&CVE-2021-44228=true}) into the equivalent
 * {@code output_options} object, so that one parser validates both.
 */
public final class LogpullOptions {

    private LogpullOptions() {}

    /** The {@code output_options} equivalent of {@code options}, or empty after recording errors. */
    public static Optional<ObjectNode> toOutputOptions(String options, String path, ConfigReader reader) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        int errorsBefore = reader.errorCount();
        Set<String> seen = new HashSet<>();
        String query = options.startsWith("?") ? options.substring(1) : options;
        for (String pair : query.isEmpty() ? new String[0] : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!seen.add(key)) {
                reader.error(path, "option " + quote(key) + " is given twice");
                continue;
            }
            switch (key) {
                case "fields" -> {
                    var names = out.putArray("field_names");
                    for (String field : value.split(",", -1)) {
                        names.add(field.trim());
                    }
                }
                case "timestamps" -> out.put("timestamp_format", value);
                case "sample" -> out.put("sample_rate", value);
                case "CVE-2021-44228" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        reader.error(path, "CVE-2021-44228 must be true or false, was " + quote(value));
                    }
                    out.put("CVE-2021-44228", value.equals("true"));
                }
                default -> reader.error(path, "unknown option " + quote(key) + "; supported: fields, timestamps, sample, CVE-2021-44228");
            }
        }
        return reader.errorCount() == errorsBefore ? Optional.of(out) : Optional.empty();
    }
}
