package io.logpush.config;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.logpush.config.ConfigReader.quote;

/**
 * Where a job's batches go: a validated {@code destination_conf} such as
 * {@code file:///var/logs/{DATE}} or {@code s3://bucket/prefix/{DATE}?region=us-east-1}.
 *
 * <p>Validation refuses anything that could reach outside the customer's own prefix: relative
 * paths, {@code .} and {@code ..} segments, percent escapes, placeholders other than
 * {@code {DATE}}, and (when the deployment names file roots) paths outside them.
 */
public record Destination(String conf, Scheme scheme, String bucket, String pathTemplate, Map<String, String> options) {

    /** The placeholder replaced by the batch's UTC date, {@code YYYYMMDD}. */
    public static final String DATE_PLACEHOLDER = "{DATE}";

    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_LIKE = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Set<String> ELSEWHERE =
            Set.of("r2", "gs", "azure", "https", "http", "splunk", "datadog", "sumo", "newrelic", "elastic");
    private static final Set<String> S3_CREDENTIAL_OPTIONS = Set.of("endpoint", "access-key-id", "secret-access-key");

    /** The destination schemes this deployment writes to. */
    public enum Scheme {
        FILE,
        S3
    }

    public Destination {
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** The directory URI for a batch whose first record falls on {@code date} (UTC). */
    public String directoryFor(LocalDate date) {
        return directoryFor(directoryTemplate(), date);
    }

    /** The directory URI with {@code {DATE}} still in it, e.g. {@code s3://bucket/logs/{DATE}}. */
    public String directoryTemplate() {
        return switch (scheme) {
            case FILE -> "file://" + pathTemplate;
            case S3 -> "s3://" + bucket + (pathTemplate.isEmpty() ? "" : "/" + pathTemplate);
        };
    }

    /** Resolves a {@link #directoryTemplate()} for a batch whose first record falls on {@code date} (UTC). */
    public static String directoryFor(String directoryTemplate, LocalDate date) {
        return directoryTemplate.replace(DATE_PLACEHOLDER, DATE.format(date));
    }

    /**
     * Parses and validates {@code conf}; on failure records the reasons under {@code path} and
     * returns empty.
     */
    public static Optional<Destination> parse(String conf, String path, ConfigReader reader, DeploymentPolicy policy) {
        int errorsBefore = reader.errorCount();
        int sep = conf.indexOf("://");
        if (sep <= 0) {
            reader.error(path, "must be a URI such as file:///abs/path/{DATE} or s3://bucket/prefix/{DATE}?region=...");
            return Optional.empty();
        }
        String schemeName = conf.substring(0, sep);
        if (ELSEWHERE.contains(schemeName)) {
            reader.error(path, "scheme " + quote(schemeName) + " is not supported by this deployment; supported: file, s3");
            return Optional.empty();
        }
        if (!schemeName.equals("file") && !schemeName.equals("s3")) {
            reader.error(path, "unknown scheme " + quote(schemeName) + "; supported: file, s3");
            return Optional.empty();
        }
        for (int i = 0; i < conf.length(); i++) {
            char c = conf.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '\\' || c == '#' || c == '%') {
                reader.error(path, "must not contain spaces, control characters, '\\', '#' or '%' (found "
                        + quote(String.valueOf(c)) + " at offset " + i + ")");
                return Optional.empty();
            }
        }
        String rest = conf.substring(sep + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        checkPlaceholders(rest, path, reader);
        Destination result;
        if (schemeName.equals("file")) {
            if (!query.isEmpty()) {
                reader.error(path, "a file destination takes no query options");
            }
            if (!rest.startsWith("/")) {
                reader.error(path, "a file destination must be an absolute path: file:///abs/path");
                return Optional.empty();
            }
            String dir = stripTrailingSlash(rest);
            if (dir.isEmpty()) {
                reader.error(path, "must name a directory, not the file system root");
                return Optional.empty();
            }
            checkSegments(dir.substring(1), path, reader);
            if (!policy.fileRoots().isEmpty() && policy.fileRoots().stream().noneMatch((dir + "/")::startsWith)) {
                reader.error(path, "must lie under one of this deployment's file roots: " + String.join(", ", policy.fileRoots()));
            }
            result = new Destination(conf, Scheme.FILE, "", dir, Map.of());
        } else {
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : stripTrailingSlash(rest.substring(slash + 1));
            if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || IP_LIKE.matcher(bucket).matches()) {
                reader.error(path, "invalid S3 bucket name " + quote(bucket)
                        + ": 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit");
            }
            if (!prefix.isEmpty()) {
                checkSegments(prefix, path, reader);
            }
            Map<String, String> options = parseS3Options(query, path, reader);
            result = new Destination(conf, Scheme.S3, bucket, prefix, options);
        }
        return reader.errorCount() == errorsBefore ? Optional.of(result) : Optional.empty();
    }

    private static void checkPlaceholders(String s, String path, ConfigReader reader) {
        String withoutDate = s.replace(DATE_PLACEHOLDER, "");
        if (withoutDate.indexOf('{') >= 0 || withoutDate.indexOf('}') >= 0) {
            reader.error(path, "the only placeholder allowed is {DATE}");
        }
    }

    private static void checkSegments(String relative, String path, ConfigReader reader) {
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty()) {
                reader.error(path, "must not contain empty path segments ('//')");
                return;
            }
            if (segment.equals(".") || segment.equals("..")) {
                reader.error(path, "must not contain '" + segment + "' path segments");
                return;
            }
        }
    }

    private static Map<String, String> parseS3Options(String query, String path, ConfigReader reader) {
        Map<String, String> options = new TreeMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (S3_CREDENTIAL_OPTIONS.contains(key)) {
                reader.error(path, "option " + quote(key) + " is not supported: this deployment writes to S3"
                        + " with its own endpoint and credentials (s3.* in the Flink configuration)");
            } else if (!key.equals("region") && !key.equals("sse")) {
                reader.error(path, "unknown option " + quote(key) + "; supported: region, sse");
            } else if (value.isEmpty()) {
                reader.error(path, "option " + quote(key) + " needs a value");
            } else if (options.put(key, value) != null) {
                reader.error(path, "option " + quote(key) + " is given twice");
            } else if (key.equals("region") && !REGION.matcher(value).matches()) {
                reader.error(path, "invalid region " + quote(value));
            } else if (key.equals("sse") && !value.equals("AES256")) {
                reader.error(path, "sse must be AES256");
            }
        }
        return options;
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
