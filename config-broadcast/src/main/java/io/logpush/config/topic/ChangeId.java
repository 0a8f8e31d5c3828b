package io.logpush.config.topic;

/**
 * Names one config change: a job id and the version (config topic offset) of the record that
 * changed it. Written {@code 42@17}.
 */
public record ChangeId(long jobId, long version) {

    public static ChangeId parse(String text) {
        int at = text.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("a change id looks like JOB@VERSION, was " + text);
        }
        return new ChangeId(Long.parseLong(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
    }

    @Override
    public String toString() {
        return jobId + "@" + version;
    }
}
