package io.logpush.sink.writer;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.util.function.IntSupplier;

/** The writer's metrics, in the sink writer's metric group (web UI: the sink's writer operator). */
public final class WriterMetrics {

    final Counter batchesWritten;
    final Counter recordsWritten;
    final Counter bytesUncompressed;
    /** Flink's standard numBytesSend: the bytes written to storage (compressed). */
    final Counter bytesWritten;

    public WriterMetrics(SinkWriterMetricGroup group, IntSupplier openBatches) {
        this.batchesWritten = group.counter("batchesWritten");
        this.recordsWritten = group.counter("recordsWritten");
        this.bytesUncompressed = group.counter("bytesUncompressed");
        this.bytesWritten = group.getNumBytesSendCounter();
        group.gauge("openBatches", openBatches::getAsInt);
    }
}
