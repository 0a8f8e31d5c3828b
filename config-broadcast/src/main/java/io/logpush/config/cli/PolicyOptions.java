package io.logpush.config.cli;

import io.logpush.config.DeploymentPolicy;
import io.logpush.config.JobConfigParser;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The deployment's policy as command-line options shared by {@code logpush config} and
 * {@code logpush run}: batch-limit minimums (tests and demos lower them, customer JSON never can)
 * the capacity in enabled jobs, and the ownership-challenge key.
 */
public final class PolicyOptions {

    @Option(names = "--min-upload-bytes", paramLabel = "N", description = "Lowest max_upload_bytes a config may set (default: ${DEFAULT-VALUE}).")
    long minBytes = DeploymentPolicy.DEFAULT.minUploadBytes();

    @Option(names = "--min-upload-records", paramLabel = "N", description = "Lowest max_upload_records a config may set (default: ${DEFAULT-VALUE}).")
    long minRecords = DeploymentPolicy.DEFAULT.minUploadRecords();

    @Option(names = "--min-upload-interval-seconds", paramLabel = "S", description = "Lowest max_upload_interval_seconds a config may set (default: ${DEFAULT-VALUE}).")
    long minSeconds = DeploymentPolicy.DEFAULT.minUploadInterval().toSeconds();

    @Option(names = "--max-enabled-jobs", paramLabel = "N", description = "Enabled jobs this deployment runs at most; more are refused (default: ${DEFAULT-VALUE}).")
    int maxEnabledJobs = DeploymentPolicy.DEFAULT.maxEnabledJobs();

    @Mixin
    OwnershipKeyOptions ownership = new OwnershipKeyOptions();

    public DeploymentPolicy policy() {
        return DeploymentPolicy.DEFAULT.withMinimums(minBytes, minRecords, Duration.ofSeconds(minSeconds))
                .withMaxEnabledJobs(maxEnabledJobs)
                .withOwnershipChallenges(ownership.signer());
    }

    public JobConfigParser parser() {
        return new JobConfigParser(policy());
    }
}
