package io.logpush.sink.committer;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The committer's metrics, next to Flink's own committable counters in the committer's metric
 * group. Its failures are the staging area's, never a destination's.
 */
public final class CommitterMetrics {

    final Counter batchesCommitted;
    final Counter recordsCommitted;
    final Counter bytesCommitted;
    final Counter transientFailures;
    /** From batch close to visible object, in milliseconds. */
    final Histogram commitLatencyMs;

    public CommitterMetrics(SinkCommitterMetricGroup group) {
        this.batchesCommitted = group.counter("batchesCommitted");
        this.recordsCommitted = group.counter("recordsCommitted");
        this.bytesCommitted = group.counter("bytesCommitted");
        this.transientFailures = group.counter("commitFailuresTransient");
        this.commitLatencyMs = group.histogram("commitLatencyMs", new DescriptiveStatisticsHistogram(1000));
    }
}
