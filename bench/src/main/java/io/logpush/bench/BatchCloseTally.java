package io.logpush.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Why a run's batches closed: our job buffers' {@code batchesClosed<Reason>} counters, summed over
 * their subtasks, which Flink hands over through {@link BenchMetricsReporter}. It tells what a
 * run's object count is made of (intervals, limits, config changes, the end of input); contenders
 * without our buffers have none.
 */
final class BatchCloseTally {

    private static final String PREFIX = "batchesClosed";
    /** Counters by job id, then by reason. */
    private static final Map<String, Map<String, List<Counter>>> COUNTERS = new ConcurrentHashMap<>();

    private BatchCloseTally() {}

    /** Keeps {@code counter} if it is a buffer's {@code batchesClosed<Reason>} ({@link BenchMetricsReporter} offers each counter). */
    static void offer(Counter counter, String name, Map<String, String> scope) {
        if (name.startsWith(PREFIX)) {
            COUNTERS.computeIfAbsent(scope.get(ScopeFormat.SCOPE_JOB_ID), id -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name.substring(PREFIX.length()), reason -> new CopyOnWriteArrayList<>()).add(counter);
        }
    }

    /** The batches a finished job closed, by reason ("Interval", "JobChange", ...); its counters are forgotten. */
    static Map<String, Long> take(JobID job) {
        Map<String, Long> closed = new TreeMap<>();
        Map<String, List<Counter>> byReason = COUNTERS.remove(job.toString());
        if (byReason != null) {
            byReason.forEach((reason, counters) -> closed.put(reason, counters.stream().mapToLong(Counter::getCount).sum()));
        }
        return closed;
    }
}
