package io.logpush.sink;

import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The keys of a job's buffer lanes. A job's records are buffered, batched, written and delivered
 * under a key: lane 0, the job's own id, for every job; a job too busy for one instance (a hot
 * job) is spread over more lanes, each with batches, objects, a delivery queue and health of its
 * own. Everything keyed by lane fits in one {@code long}, so that lane 0's state is the state that
 * was keyed by job id.
 *
 * <p>Lane {@code n > 0} of job {@code j} is keyed {@code -(j << 8 | n)}, so only jobs with ids up to
 * {@link #MAX_JOB_ID} have further lanes. Its batches' sequence numbers start at {@code n << 48}, so that a batch's
 * descriptor names its lane (and object names, staging paths and delivery queues of different lanes
 * cannot collide).
 */
public final class JobLanes {

    /** The largest id of a job with further lanes: the largest integer a double holds exactly (2^53 - 1), as JSON ids in practice are. */
    public static final long MAX_JOB_ID = (1L << 53) - 1;
    /** The most lanes a job spreads over. */
    public static final int MAX_LANES = 16;
    private static final int LANE_BITS = 8;
    private static final int SEQUENCE_BITS = 48;

    private JobLanes() {}

    /** The key of the job's lane {@code n} (0: the job id itself, whatever its size). */
    public static long key(long jobId, int n) {
        if (jobId < 1 || n < 0 || n >= 1 << LANE_BITS || n > 0 && jobId > MAX_JOB_ID) {
            throw new IllegalArgumentException("no lane " + n + " of job " + jobId);
        }
        return n == 0 ? jobId : -(jobId << LANE_BITS | n);
    }

    /** The job a lane key belongs to. */
    public static long jobOf(long key) {
        return key > 0 ? key : -key >>> LANE_BITS;
    }

    /** The lane number of a lane key. */
    public static int laneOf(long key) {
        return key > 0 ? 0 : (int) (-key & ((1 << LANE_BITS) - 1));
    }

    /** For logs: the job id, and the lane unless it is 0. */
    public static String describe(long key) {
        return laneOf(key) == 0 ? Long.toString(jobOf(key)) : jobOf(key) + " (lane " + laneOf(key) + ")";
    }

    /** The first batch sequence number of a lane; the next ones follow it. */
    public static long firstSequence(long key) {
        return (long) laneOf(key) << SEQUENCE_BITS;
    }

    /** The lane number a batch sequence number belongs to. */
    public static int laneOfSequence(long sequence) {
        return (int) (sequence >>> SEQUENCE_BITS);
    }

    /**
     * The keys of the job's first {@code lanes} lanes, chosen so that they are buffered by
     * different instances at the buffers' parallelism, one instance after another from lane 0's
     * (as far as there are instances). Deterministic: every operator that asks gets the same keys.
     *
     * @param maxParallelism the buffers' max parallelism (their number of key groups)
     * @param parallelism the buffers' parallelism
     */
    public static long[] keys(long jobId, int lanes, int maxParallelism, int parallelism) {
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("lanes must be 1.." + MAX_LANES + ", not " + lanes);
        }
        if (lanes > 1 && jobId > MAX_JOB_ID) {
            return new long[] {key(jobId, 0)}; // configs of earlier versions took any positive id: such a job keeps one lane
        }
        long[] keys = new long[lanes];
        keys[0] = key(jobId, 0);
        int first = KeyGroupRangeAssignment.assignKeyToParallelOperator(keys[0], maxParallelism, parallelism);
        boolean[] taken = new boolean[1 << LANE_BITS];
        for (int lane = 1; lane < lanes; lane++) {
            KeyGroupRange target = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                    maxParallelism, parallelism, (first + lane) % parallelism);
            int found = -1;
            int spare = -1;
            // Each instance's key groups are hit by about 255 / parallelism of the 255 lane numbers.
            for (int n = 1; n < taken.length && found < 0; n++) {
                if (!taken[n]) {
                    found = target.contains(KeyGroupRangeAssignment.assignToKeyGroup(key(jobId, n), maxParallelism)) ? n : -1;
                    spare = spare < 0 ? n : spare;
                }
            }
            int n = found > 0 ? found : spare; // none hit that instance: a lane all the same, placed as its hash falls
            taken[n] = true;
            keys[lane] = key(jobId, n);
        }
        return keys;
    }
}
