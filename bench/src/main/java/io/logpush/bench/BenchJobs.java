package io.logpush.bench;

import io.logpush.config.DeploymentPolicy;

import java.time.Duration;

/** The benchmark's job configs: Cloudflare's limits, a typical field selection, the event time included. */
public final class BenchJobs {

    /** Cloudflare's limits, with the interval minimum lowered to 5 s so that latency runs stay short. */
    public static final DeploymentPolicy POLICY = DeploymentPolicy.DEFAULT.withMinimums(
            DeploymentPolicy.DEFAULT.minUploadBytes(), DeploymentPolicy.DEFAULT.minUploadRecords(), Duration.ofSeconds(5));

    /** Fields the benchmark's jobs push (latency is measured from {@code EdgeStartTimestamp}). */
    static final String FIELD_NAMES = "[\"RayID\",\"ZoneName\",\"ClientIP\",\"ClientRequestHost\",\"ClientRequestMethod\","
            + "\"ClientRequestURI\",\"EdgeResponseStatus\",\"EdgeResponseBytes\",\"EdgeStartTimestamp\"]";

    private BenchJobs() {}

    /** An enabled http_requests job of {@code zone}; {@code filter} is a JSON filter or null. */
    public static String json(long id, String zone, String destination, int intervalSeconds, String filter) {
        return "{\"id\":" + id + ",\"zone_id\":\"" + zone + "\",\"dataset\":\"http_requests\",\"enabled\":true,"
                + "\"destination_conf\":\"" + destination + "\",\"max_upload_interval_seconds\":" + intervalSeconds + ","
                + (filter == null ? "" : "\"filter\":" + quote(filter) + ",")
                + "\"output_options\":{\"field_names\":" + FIELD_NAMES + "}}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
