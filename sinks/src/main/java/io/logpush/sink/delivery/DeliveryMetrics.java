package io.logpush.sink.delivery;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.function.Supplier;

/**
 * The delivery step's metrics: what reached destinations, what is parked, what was dead-lettered.
 * The gauges count changes made since this subtask (re)started, like the buffer's.
 */
final class DeliveryMetrics {

    final Counter batchesDelivered;
    final Counter recordsDelivered;
    final Counter bytesDelivered;
    final Counter deliveryFailures;
    final Counter batchesParked;
    final Counter batchesDeadLettered;
    final Counter recordsDeadLettered;
    final Counter duplicateBatches;
    final Counter jobsDisabled;
    /** From batch close to object at its destination, in milliseconds. */
    final Histogram deliveryLatencyMs;
    /** Batches not yet delivered: parked, or queued behind their job's running attempt. */
    long queuedNow;
    long degradedNow;

    DeliveryMetrics(MetricGroup group, Supplier<Integer> attemptsRunning, Supplier<Integer> slotsInUse) {
        this.batchesDelivered = group.counter("batchesDelivered");
        this.recordsDelivered = group.counter("recordsDelivered");
        this.bytesDelivered = group.counter("bytesDelivered");
        this.deliveryFailures = group.counter("deliveryFailures");
        this.batchesParked = group.counter("batchesParked");
        this.batchesDeadLettered = group.counter("batchesDeadLettered");
        this.recordsDeadLettered = group.counter("recordsDeadLettered");
        this.duplicateBatches = group.counter("duplicateBatchesSkipped");
        this.jobsDisabled = group.counter("jobsDisabled");
        this.deliveryLatencyMs = group.histogram("deliveryLatencyMs", new DescriptiveStatisticsHistogram(1000));
        group.gauge("parkedBatches", (Gauge<Long>) () -> queuedNow);
        group.gauge("deliveriesRunning", (Gauge<Integer>) slotsInUse::get);
        // Attempts past their deadline whose thread has not returned yet.
        group.gauge("deliveriesHung", (Gauge<Integer>) () -> attemptsRunning.get() - slotsInUse.get());
        group.gauge("degradedJobs", (Gauge<Long>) () -> degradedNow);
    }
}
