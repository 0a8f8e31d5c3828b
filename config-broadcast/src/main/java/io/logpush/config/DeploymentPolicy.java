package io.logpush.config;

import io.logpush.config.ownership.OwnershipSigner;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What this deployment allows customer configs to ask for: the batch-limit minimums (Cloudflare's
 * by default; a deployment may lower them for tests and demos through job options, never through
 * the customer's JSON), where file destinations may point, how many jobs it runs at most, and
 * whether a job must prove it owns its destination.
 *
 * @param ownershipSigner when set, every job needs an {@code ownership_challenge} this signer issued
 *     for its owner and destination; null when the deployment does not ask for one
 */
public record DeploymentPolicy(
        long minUploadBytes,
        long minUploadRecords,
        Duration minUploadInterval,
        List<String> fileRoots,
        int maxEnabledJobs,
        OwnershipSigner ownershipSigner) implements java.io.Serializable {

    public static final long MAX_UPLOAD_BYTES = 1_000_000_000L;
    public static final long MAX_UPLOAD_RECORDS = 1_000_000L;
    public static final Duration MAX_UPLOAD_INTERVAL = Duration.ofSeconds(300);

    /** Cloudflare's minimums, any absolute file path, and at most 100,000 enabled jobs. */
    public static final DeploymentPolicy DEFAULT =
            new DeploymentPolicy(5_000_000L, 1_000L, Duration.ofSeconds(30), List.of(), 100_000, null);

    public DeploymentPolicy {
        Objects.requireNonNull(minUploadInterval, "minUploadInterval");
        fileRoots = List.copyOf(fileRoots);
        if (minUploadBytes < 1 || minUploadBytes > MAX_UPLOAD_BYTES) {
            throw new IllegalArgumentException("minUploadBytes must be in 1.." + MAX_UPLOAD_BYTES);
        }
        if (minUploadRecords < 1 || minUploadRecords > MAX_UPLOAD_RECORDS) {
            throw new IllegalArgumentException("minUploadRecords must be in 1.." + MAX_UPLOAD_RECORDS);
        }
        if (minUploadInterval.compareTo(Duration.ofSeconds(1)) < 0
                || minUploadInterval.compareTo(MAX_UPLOAD_INTERVAL) > 0) {
            throw new IllegalArgumentException("minUploadInterval must be in 1s..300s");
        }
        if (maxEnabledJobs < 1) {
            throw new IllegalArgumentException("maxEnabledJobs must be positive");
        }
        for (String root : fileRoots) {
            if (!root.startsWith("/") || !root.endsWith("/")) {
                throw new IllegalArgumentException("a file root must be an absolute directory ending in '/': " + root);
            }
        }
    }

    public DeploymentPolicy withMinimums(long bytes, long records, Duration interval) {
        return new DeploymentPolicy(bytes, records, interval, fileRoots, maxEnabledJobs, ownershipSigner);
    }

    public DeploymentPolicy withFileRoots(List<String> roots) {
        return new DeploymentPolicy(minUploadBytes, minUploadRecords, minUploadInterval, roots, maxEnabledJobs, ownershipSigner);
    }

    /**
     * The capacity this deployment was sized for: enabling a job beyond it is refused, loudly,
     * instead of overloading every customer (Cloudflare's buffer tier had such a safeguard, unset).
     */
    public DeploymentPolicy withMaxEnabledJobs(int max) {
        return new DeploymentPolicy(minUploadBytes, minUploadRecords, minUploadInterval, fileRoots, max, ownershipSigner);
    }

    /** Every job must carry an ownership challenge issued by {@code signer} (Cloudflare asks this of its destinations). */
    public DeploymentPolicy withOwnershipChallenges(OwnershipSigner signer) {
        return new DeploymentPolicy(minUploadBytes, minUploadRecords, minUploadInterval, fileRoots, maxEnabledJobs, signer);
    }
}
