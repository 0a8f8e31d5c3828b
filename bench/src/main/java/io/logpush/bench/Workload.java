package io.logpush.bench;

import io.logpush.job.generator.HttpRequestsGenerator;

/**
 * A reproducible benchmark input: {@code events} generated {@code http_requests} events of which a
 * {@code configuredShare} belongs to {@code jobs} configured jobs (one per zone, Zipf-distributed),
 * the rest to {@code unconfiguredOwners} zones with no job (Zipf-distributed too). Same seed, same
 * events.
 */
public record Workload(String name, long events, int jobs, double configuredShare, int unconfiguredOwners, long seed) {

    private static final String JOBS_SWEEP = "jobs-sweep-";

    public Workload {
        if (events < 1 || jobs < 1 || unconfiguredOwners < 1) {
            throw new IllegalArgumentException("events, jobs and unconfiguredOwners must be positive");
        }
        if (!(configuredShare > 0 && configuredShare <= 1)) {
            throw new IllegalArgumentException("configuredShare must be in (0, 1]");
        }
    }

    /** Cloudflare's proportions: 1,000 jobs that own 10% of the events; 100,000 zones own the rest. */
    public static Workload cloudflareMix(long events, long seed) {
        return new Workload("cloudflare-mix", events, 1_000, 0.10, 100_000, seed);
    }

    /**
     * The 2024-11-14 incident's fail-open flood as input: the mix's 1,000 jobs, plus 40 times as many
     * owners without a job sending 40 times their events (so 1 event in 41 is configured).
     */
    public static Workload failOpenFlood(long events, long seed) {
        return new Workload("fail-open-flood", events, 1_000, 1.0 / 41, 40_000, seed);
    }

    /** Every event belongs to one of {@code jobs} configured jobs. */
    public static Workload allConfigured(long events, int jobs, long seed) {
        return new Workload("all-configured-" + jobs, events, jobs, 1.0, 1, seed);
    }

    /** A point of the jobs sweep: like {@link #allConfigured}, named apart from it, as the sweep runs other contenders and event counts. */
    public static Workload jobsSweep(long events, int jobs, long seed) {
        return new Workload(JOBS_SWEEP + jobs, events, jobs, 1.0, 1, seed);
    }

    /** Whether this is a point of the jobs sweep. */
    public boolean isJobsSweep() {
        return name.startsWith(JOBS_SWEEP);
    }

    /** The owner (zone) of the configured job of rank {@code rank}; job ids are rank + 1. */
    public static String jobOwner(int rank) {
        return HttpRequestsGenerator.zone(rank);
    }

    /** The owner of the unconfigured zone of rank {@code rank}. */
    public static String otherOwner(int rank) {
        return String.format("other-%06d", rank);
    }
}
