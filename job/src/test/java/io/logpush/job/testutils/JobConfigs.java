package io.logpush.job.testutils;

import io.logpush.config.DeploymentPolicy;
import io.logpush.config.broadcast.ConfigUpdate;

import java.time.Duration;
import java.util.Optional;

/** Job configs for pipeline tests, with the small limits a test deployment allows. */
public final class JobConfigs {

    /** Minimums of 1 byte, 1 record, 1 second: the limits tests and the demo use. */
    public static final DeploymentPolicy POLICY = DeploymentPolicy.DEFAULT.withMinimums(1, 1, Duration.ofSeconds(1));

    private JobConfigs() {}

    /**
     * An http_requests job of {@code zone} writing RayID and EdgeResponseStatus as ndjson;
     * {@code extra} is appended inside the JSON object (e.g. limits).
     */
    public static String json(long id, String zone, String directory, boolean enabled, String extra) {
        return json(id, zone, directory, enabled, "{\"field_names\":[\"RayID\",\"EdgeResponseStatus\"]}", extra);
    }

    /** As {@link #json(long, String, String, boolean, String)} with the given {@code output_options} object. */
    public static String json(long id, String zone, String directory, boolean enabled, String outputOptions, String extra) {
        return "{\"id\":" + id + ",\"zone_id\":\"" + zone + "\",\"dataset\":\"http_requests\",\"enabled\":" + enabled
                + ",\"destination_conf\":\"" + directory + "\",\"output_options\":" + outputOptions
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    public static ConfigUpdate upsert(long id, long version, String json) {
        return new ConfigUpdate(id, version, Optional.of(json));
    }

    public static ConfigUpdate delete(long id, long version) {
        return new ConfigUpdate(id, version, Optional.empty());
    }
}
