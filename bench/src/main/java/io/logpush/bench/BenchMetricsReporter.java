package io.logpush.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Map;
import java.util.Properties;

/**
 * Hands the counters the benchmark reads over from the cluster's tasks, in this JVM: the events
 * source's records out ({@link ReadProgress}) and our buffers' batches closed per reason
 * ({@link BatchCloseTally}). Counters stay after their tasks end: a run's counts are read then.
 */
final class BenchMetricsReporter implements MetricReporter {

    /** Adds this reporter to a cluster's configuration. */
    static void register(Configuration conf) {
        conf.setString("metrics.reporter.bench.factory.class", Factory.class.getName());
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter counter) {
            Map<String, String> scope = group.getAllVariables();
            ReadProgress.offer(counter, name, scope);
            BatchCloseTally.offer(counter, name, scope);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Kept: the run's last counts are read after its tasks have ended.
    }

    /** Creates the reporter; Flink finds it by its class name (and the service file). */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchMetricsReporter();
        }
    }
}
