package io.logpush.config.cli;

import io.logpush.config.DeploymentPolicy;
import io.logpush.config.JobConfigParser;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The batch-limit minimums of the deployment that runs the configs, as command-line options
 * shared by {@code logpush config} and {@code logpush run}: tests and demos lower them, customer
 * JSON never can.
 */
public final class PolicyOptions {

    @Option(names = "--min-upload-bytes", paramLabel = "N", description = "Lowest max_upload_bytes a config may set (default: ${DEFAULT-VALUE}).")
    long minBytes = DeploymentPolicy.DEFAULT.minUploadBytes();

    @Option(names = "--min-upload-records", paramLabel = "N", description = "Lowest max_upload_records a config may set (default: ${DEFAULT-VALUE}).")
    long minRecords = DeploymentPolicy.DEFAULT.minUploadRecords();

    @Option(names = "--min-upload-interval-seconds", paramLabel = "S", description = "Lowest max_upload_interval_seconds a config may set (default: ${DEFAULT-VALUE}).")
    long minSeconds = DeploymentPolicy.DEFAULT.minUploadInterval().toSeconds();

    public DeploymentPolicy policy() {
        return DeploymentPolicy.DEFAULT.withMinimums(minBytes, minRecords, Duration.ofSeconds(minSeconds));
    }

    public JobConfigParser parser() {
        return new JobConfigParser(policy());
    }
}
