package io.logpush.config.testutils;

import io.logpush.config.DeploymentPolicy;
import io.logpush.config.JobConfigParser;
import io.logpush.config.LogpushJob;

import java.time.Duration;

/** Readable job fixtures for tests: small JSON configs built from a few parameters. */
public final class Jobs {

    /** A policy with tiny minimum limits, as tests and the demo use. */
    public static final DeploymentPolicy TEST_POLICY = DeploymentPolicy.DEFAULT.withMinimums(1, 1, Duration.ofSeconds(1));

    private Jobs() {}

    /** An enabled http_requests job of {@code zone} writing ndjson to {@code file:///tmp/logpush/<id>}. */
    public static String httpJobJson(long id, String zone, boolean enabled) {
        return "{\"id\":" + id + ",\"zone_id\":\"" + zone + "\",\"dataset\":\"http_requests\",\"enabled\":" + enabled
                + ",\"destination_conf\":\"file:///tmp/logpush/" + id + "/{DATE}\",\"max_upload_records\":1000}";
    }

    public static LogpushJob httpJob(long id, String zone, boolean enabled) {
        return parse(httpJobJson(id, zone, enabled));
    }

    public static LogpushJob parse(String json) {
        return new JobConfigParser(TEST_POLICY).parse(json).orElseThrow();
    }
}
