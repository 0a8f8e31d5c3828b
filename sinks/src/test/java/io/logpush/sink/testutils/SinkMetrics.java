package io.logpush.sink.testutils;

import io.logpush.sink.committer.CommitterMetrics;
import io.logpush.sink.writer.WriterMetrics;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;

import java.util.function.IntSupplier;

/** Metric groups for unit tests: real counters, registered nowhere. */
public final class SinkMetrics {

    private SinkMetrics() {}

    public static WriterMetrics writer(IntSupplier openBatches) {
        return new WriterMetrics(InternalSinkWriterMetricGroup.wrap(UnregisteredMetricsGroup.createOperatorMetricGroup()), openBatches);
    }

    public static CommitterMetrics committer() {
        return new CommitterMetrics(InternalSinkCommitterMetricGroup.wrap(UnregisteredMetricsGroup.createOperatorMetricGroup()));
    }
}
