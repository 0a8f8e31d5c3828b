package io.logpush.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches this JVM during a run: the live heap (what grows with state or jobs), and CPU time and
 * the JIT compilers' time at start and stop.
 *
 * <p>The live heap is what a full collection, requested every {@link #LIVE_HEAP_PERIOD_SECONDS}
 * seconds, leaves in use (as the collector reports it for that collection), not what the
 * collector's own young collections leave: the old generation still holds promoted garbage then,
 * which made the same run report 59 MiB or 1.4 GiB. Reading the heap after {@code gc()} returns is
 * not enough either: a request that meets a JNI critical section (zlib, RocksDB) may not collect.
 * A forced collection stops the JVM for a time that grows with the live set: tens of milliseconds
 * at 50 MiB, about 150 ms at 300 MiB (100,000 jobs), where one every 2 s took 7% of the run from
 * the contender it measured. One every 5 s still finds the maximum: the live set of a run is made
 * of state and configs, which grow at startup and then stay. Until a first collection is reported,
 * one is requested every second, so that runs of a few seconds get theirs too.
 */
final class ResourceSampler implements AutoCloseable {

    static final int LIVE_HEAP_PERIOD_SECONDS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Absent on a JVM without a JIT compiler or with timing off: then the JIT time is reported as 0. */
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final AtomicLong liveHeapMax = new AtomicLong(-1);
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final NotificationListener afterRequestedGc = (notification, handback) -> {
        if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (info.getGcCause().equals("System.gc()")) {
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> heapPools.contains(pool.getKey())).mapToLong(pool -> pool.getValue().getUsed()).sum();
                liveHeapMax.accumulateAndGet(used, Math::max);
                lastSampleNanos = System.nanoTime();
            }
        }
    };
    private final ScheduledExecutorService gc = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-live-heap");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;
    /** When a requested collection was last reported (0: none yet). */
    private volatile long lastSampleNanos;
    private final long cpuStart;
    private final long wallStart;
    private final long jitStartMillis;
    private long cpuNanos;
    private long jitMillis;
    private long wallNanos;

    ResourceSampler() {
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
        jitStartMillis = jitMillisSoFar();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener(afterRequestedGc, null, null);
        }
        gc.scheduleWithFixedDelay(this::sampleLiveHeap, 1, 1, TimeUnit.SECONDS);
    }

    private void sampleLiveHeap() {
        long last = lastSampleNanos;
        if (last == 0 || System.nanoTime() - last >= TimeUnit.SECONDS.toNanos(LIVE_HEAP_PERIOD_SECONDS) - 500_000_000L) {
            memory.gc();
        }
    }

    /** Stops sampling; the figures below are final afterwards. */
    @Override
    public void close() throws InterruptedException {
        if (!closed) {
            closed = true;
            gc.shutdownNow();
            gc.awaitTermination(1, TimeUnit.MINUTES);
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                try {
                    ((NotificationEmitter) collector).removeNotificationListener(afterRequestedGc);
                } catch (ListenerNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
            cpuNanos = os.getProcessCpuTime() - cpuStart;
            wallNanos = System.nanoTime() - wallStart;
            jitMillis = jitMillisSoFar() - jitStartMillis;
        }
    }

    private long jitMillisSoFar() {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /**
     * The most heap in use right after a full collection during the run; -1 if none was reported:
     * a run shorter than a second, or one in which the JVM reported none of the requested
     * collections (seen at gzip level 9, whose buffer threads are inside zlib, in JNI critical
     * sections, nearly all the time).
     */
    long liveHeapMaxBytes() {
        return liveHeapMax.get();
    }

    /**
     * Seconds the JIT compilers spent compiling during the run (all compiler threads together):
     * what the run paid for code it ran for the first time, or again after a deoptimization, and a
     * job running for days does not.
     */
    double jitSeconds() {
        return jitMillis / 1000.0;
    }

    /** CPU seconds per wall second: how many cores the run kept busy. */
    double coresUsed() {
        return wallNanos == 0 ? 0 : (double) cpuNanos / wallNanos;
    }
}
