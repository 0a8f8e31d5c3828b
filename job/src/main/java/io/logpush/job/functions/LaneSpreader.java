package io.logpush.job.functions;

import io.logpush.sink.JobLanes;

import java.util.function.LongSupplier;

/**
 * Picks the buffer lane of each of one job's records at one router instance: lane 0, the job's
 * own key, until the job is hot here (its records come faster than {@link HotJobs#recordsPerSecond()}),
 * then each of its lanes in turn, so that one busy customer's buffering, compression and writing
 * are spread over several buffer instances instead of saturating one. The clock is read once per
 * that many records, so a job is judged by the time its latest that many records took: it cools
 * down as soon as a window of them is slower than a second (so a job that slows down is spread for
 * at most that many more records).
 *
 * <p>Not thread-safe: one per job in each router instance.
 */
final class LaneSpreader {

    private final long jobId;
    private final HotJobs settings;
    private final LongSupplier clock;
    private int count;
    private long windowStart = -1;
    private boolean hot;
    /** The job's lane keys, from the first time it ran hot here; null before. */
    private long[] keys;
    private int next;
    private boolean opened;

    LaneSpreader(long jobId, HotJobs settings, LongSupplier clock) {
        this.jobId = jobId;
        this.settings = settings;
        this.clock = clock;
    }

    /** The lane key of the job's next record. */
    long next() {
        if (settings.lanes() == 1) {
            return jobId;
        }
        if (windowStart < 0) {
            windowStart = clock.getAsLong();
        }
        if (++count >= settings.recordsPerSecond()) {
            long now = clock.getAsLong();
            hot = now - windowStart < 1_000;
            windowStart = now;
            count = 0;
            if (hot && keys == null) {
                keys = JobLanes.keys(jobId, settings.lanes(), settings.keyGroups(), settings.parallelism());
                opened = keys.length > 1;
                // Spread from the next window on: the lanes' buffers get the job's frame first, most likely,
                // so they need not hold the first records for it (and close them as a small batch when it comes).
                hot = false;
            }
        }
        if (!hot || keys.length == 1) {
            return jobId;
        }
        long key = keys[next];
        next = next + 1 == keys.length ? 0 : next + 1;
        return key;
    }

    /** Carries on from the job's spreader under its former config: a hot job stays spread, over the same lanes. */
    void continueFrom(LaneSpreader former) {
        count = former.count;
        windowStart = former.windowStart;
        hot = former.hot;
        keys = former.keys;
        next = former.next;
    }

    /** Whether the job's further lanes were just opened (their buffers need the job's frame); true once. */
    boolean lanesOpened() {
        boolean was = opened;
        opened = false;
        return was;
    }

    /** The keys of the job's lanes after lane 0 that this instance has used; empty if none. */
    long[] openedLaneKeys() {
        if (keys == null || keys.length == 1) {
            return new long[0];
        }
        long[] further = new long[keys.length - 1];
        System.arraycopy(keys, 1, further, 0, further.length);
        return further;
    }
}
