package io.logpush.bench;

import java.util.Map;

/**
 * The figures of one contender's run on one workload. {@code eventsPerSecond} is over the whole
 * run (startup included), {@code steadyEventsPerSecond} over the time after startup (every task
 * running), {@code midRunEventsPerSecond} from 10% to 90% of the topic read (NaN if too short to
 * time, see {@link ReadProgress}); cores are this JVM's CPU time over the whole run, {@code jitSeconds} the part of it
 * its JIT compilers spent; {@code liveHeapMaxMiB} is -1 when no forced collection was reported
 * during the run (see {@link ResourceSampler#liveHeapMaxBytes()}); {@code warmUps} is how many
 * unmeasured runs of the contender on the workload came before it; {@code batchesClosed} counts our
 * buffers' batches by why they closed (empty for the other contenders, see {@link BatchCloseTally}).
 */
record RunResult(
        String workload,
        String contender,
        int jobs,
        long events,
        long expectedDelivered,
        long delivered,
        long objects,
        long outputBytes,
        double seconds,
        double startupSeconds,
        double eventsPerSecond,
        double steadyEventsPerSecond,
        double midRunEventsPerSecond,
        double coresUsed,
        double jitSeconds,
        double eventsPerSecondPerCore,
        long liveHeapMaxMiB,
        long stateBytesMax,
        long checkpoints,
        long checkpointP50Millis,
        long checkpointMaxMillis,
        int warmUps,
        Map<String, Long> batchesClosed) {

    /** This run, measured after {@code runs} warm-up runs. */
    RunResult afterWarmUps(int runs) {
        return new RunResult(workload, contender, jobs, events, expectedDelivered, delivered, objects, outputBytes, seconds,
                startupSeconds, eventsPerSecond, steadyEventsPerSecond, midRunEventsPerSecond, coresUsed, jitSeconds,
                eventsPerSecondPerCore, liveHeapMaxMiB, stateBytesMax, checkpoints, checkpointP50Millis, checkpointMaxMillis, runs,
                batchesClosed);
    }
}
