package io.logpush.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Why a run's batches closed: our job buffers' {@code batchesClosed<Reason>} counters, summed over
 * their subtasks, which Flink hands over through a metric reporter in this JVM. It tells what a
 * run's object count is made of (intervals, limits, config changes, the end of input); contenders
 * without our buffers have none.
 */
final class BatchCloseTally {

    private static final String PREFIX = "batchesClosed";
    /** Counters by job id, then by reason. */
    private static final Map<String, Map<String, List<Counter>>> COUNTERS = new ConcurrentHashMap<>();

    private BatchCloseTally() {}

    /** Adds the reporter that hands the counters over to a cluster's configuration. */
    static void register(Configuration conf) {
        conf.setString("metrics.reporter.bench-batch-closes.factory.class", ReporterFactory.class.getName());
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

    /** Creates the {@link Reporter}; Flink finds it by its class name (and the service file). */
    public static final class ReporterFactory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new Reporter();
        }
    }

    /** Keeps the {@code batchesClosed<Reason>} counters of every job. */
    static final class Reporter implements MetricReporter {
        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
            if (name.startsWith(PREFIX) && metric instanceof Counter counter) {
                COUNTERS.computeIfAbsent(group.getAllVariables().get(ScopeFormat.SCOPE_JOB_ID), id -> new ConcurrentHashMap<>())
                        .computeIfAbsent(name.substring(PREFIX.length()), reason -> new CopyOnWriteArrayList<>()).add(counter);
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
            // Kept: the run's counts are read after its tasks have ended.
        }
    }
}
