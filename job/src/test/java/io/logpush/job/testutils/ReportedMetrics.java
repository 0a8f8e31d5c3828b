package io.logpush.job.testutils;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The metrics a MiniCluster job reported, as ops would read them, summed over subtasks. */
public final class ReportedMetrics {

    private final InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();

    /** A MiniCluster (one TaskManager, two slots) that reports to this. */
    public MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(reporter.addToConfiguration(new Configuration()))
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    }

    /** The sum of a counter or numeric gauge over every subtask that reports it. */
    public long sum(JobID job, String metric) {
        long total = 0;
        for (Metric m : reporter.findMetrics(job, metric).values()) {
            total += m instanceof Counter c ? c.getCount() : ((Number) ((Gauge<?>) m).getValue()).longValue();
        }
        return total;
    }

    /** Whether every subtask reporting the gauge reports {@code value} (and at least one does). */
    public boolean allEqual(JobID job, String gauge, long value) {
        var metrics = reporter.findMetrics(job, gauge).values();
        return !metrics.isEmpty() && metrics.stream().allMatch(m -> ((Number) ((Gauge<?>) m).getValue()).longValue() == value);
    }
}
