package io.logpush.job.functions;

import io.logpush.sink.JobLanes;

import java.io.Serializable;

/**
 * When and how far the router spreads a hot job over buffer lanes ({@link JobLanes}).
 *
 * @param lanes how many lanes a hot job spreads over, 1 (never spread) to {@link JobLanes#MAX_LANES}
 * @param recordsPerSecond the rate of one job's records at one router instance above which the job is hot
 * @param keyGroups the buffers' max parallelism and {@code parallelism} theirs: the lanes land on different buffer instances
 */
public record HotJobs(int lanes, int recordsPerSecond, int keyGroups, int parallelism) implements Serializable {

    /**
     * Far below what one buffer instance takes (about 225,000 records/s at gzip level 6), so a hot job
     * is spread before it saturates one; and far above what a 30 s batch of a few MB holds, so the
     * spread job's objects are still full ones.
     */
    public static final int DEFAULT_RECORDS_PER_SECOND = 20_000;

    /** No job is ever spread: one lane each. */
    public static final HotJobs ONE_LANE = new HotJobs(1, DEFAULT_RECORDS_PER_SECOND, 128, 1);

    public HotJobs {
        if (lanes < 1 || lanes > JobLanes.MAX_LANES) {
            throw new IllegalArgumentException("a hot job's lanes must be 1.." + JobLanes.MAX_LANES + ", not " + lanes);
        }
        if (recordsPerSecond < 1 || keyGroups < 1 || parallelism < 1 || parallelism > keyGroups) {
            throw new IllegalArgumentException("the hot rate must be positive and the parallelism 1 to the key groups");
        }
    }
}
