package io.logpush.job.functions;

import io.logpush.sink.JobLanes;

import java.util.Arrays;
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

    /** No lane keys: shared, as every router instance holds a spreader per job. */
    private static final long[] NONE = new long[0];

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
    /**
     * Lane keys this job had at a router instance before a restore (maybe at another parallelism):
     * their buffers may hold the job's batches, so they hear of its changes too. Empty if none.
     */
    private long[] restored = NONE;

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
        restored = former.restored;
    }

    /** Remembers lane keys the job had before a restore ({@link #openedLaneKeys()} includes them from now on). */
    void restoreLanes(long[] laneKeys) {
        restored = union(restored, laneKeys, 0);
    }

    /** Whether the job's further lanes were just opened (their buffers need the job's frame); true once. */
    boolean lanesOpened() {
        boolean was = opened;
        opened = false;
        return was;
    }

    /**
     * The keys of the job's lanes after lane 0 that this instance has used, or that it restored:
     * the buffers that may hold the job's batches besides lane 0's. Empty if none.
     */
    long[] openedLaneKeys() {
        return keys == null ? restored : union(restored, keys, 1);
    }

    /** {@code a} and the keys of {@code b} from index {@code from} on that {@code a} lacks (a few keys each). */
    private static long[] union(long[] a, long[] b, int from) {
        long[] all = Arrays.copyOf(a, a.length + Math.max(0, b.length - from));
        int size = a.length;
        for (int i = from; i < b.length; i++) {
            long key = b[i];
            if (Arrays.stream(all, 0, size).noneMatch(k -> k == key)) {
                all[size++] = key;
            }
        }
        return size == all.length ? all : Arrays.copyOf(all, size);
    }
}
