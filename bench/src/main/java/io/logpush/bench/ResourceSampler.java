package io.logpush.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches this JVM during a run: the live heap (what grows with state or jobs) and CPU time at
 * start and stop.
 *
 * <p>The live heap is measured with a full collection every {@link #LIVE_HEAP_PERIOD_SECONDS}
 * seconds, not read after the collector's own collections: after a young collection the old
 * generation still holds promoted garbage, which made the same run report 59 MiB or 1.4 GiB. The
 * forced collections cost every contender alike (tens of milliseconds each on a small live set).
 */
final class ResourceSampler implements AutoCloseable {

    static final int LIVE_HEAP_PERIOD_SECONDS = 2;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final AtomicLong liveHeapMax = new AtomicLong();
    private final ScheduledExecutorService gc = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-live-heap");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;
    private final long cpuStart;
    private final long wallStart;
    private long cpuNanos;
    private long wallNanos;

    ResourceSampler() {
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
        // The first sample after one second, so that even the shortest runs get one.
        gc.scheduleWithFixedDelay(this::sampleLiveHeap, 1, LIVE_HEAP_PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private void sampleLiveHeap() {
        memory.gc();
        liveHeapMax.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** Stops sampling; the figures below are final afterwards. */
    @Override
    public void close() throws InterruptedException {
        if (!closed) {
            closed = true;
            gc.shutdownNow();
            gc.awaitTermination(1, TimeUnit.MINUTES);
            cpuNanos = os.getProcessCpuTime() - cpuStart;
            wallNanos = System.nanoTime() - wallStart;
        }
    }

    /** The most heap in use right after a full collection during the run (0 for runs shorter than a second). */
    long liveHeapMaxBytes() {
        return liveHeapMax.get();
    }

    /** CPU seconds per wall second: how many cores the run kept busy. */
    double coresUsed() {
        return wallNanos == 0 ? 0 : (double) cpuNanos / wallNanos;
    }
}
