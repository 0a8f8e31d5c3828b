package io.logpush.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches this JVM during a run: the heap still in use after each garbage collection (the live
 * set, which is what grows with state or jobs; heap in use between collections mostly measures the
 * young generation's size) and CPU time at start and stop.
 */
final class ResourceSampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final AtomicLong heapAfterGcMax = new AtomicLong();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final NotificationListener listener = (notification, handback) -> {
        if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
            long used = info.getMemoryUsageAfterGc().entrySet().stream().filter(pool -> heapPools.contains(pool.getKey()))
                    .mapToLong(pool -> pool.getValue().getUsed()).sum();
            heapAfterGcMax.accumulateAndGet(used, Math::max);
        }
    };
    private boolean closed;
    private final long cpuStart;
    private final long wallStart;
    private long cpuNanos;
    private long wallNanos;

    ResourceSampler() {
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
        heapAfterGcMax.set(memory.getHeapMemoryUsage().getUsed());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
    }

    /** Stops sampling; the figures below are final afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                try {
                    ((NotificationEmitter) gc).removeNotificationListener(listener);
                } catch (ListenerNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
            cpuNanos = os.getProcessCpuTime() - cpuStart;
            wallNanos = System.nanoTime() - wallStart;
        }
    }

    /** The most heap in use right after a collection during the run (non-heap pools such as metaspace excluded). */
    long heapAfterGcMaxBytes() {
        return heapAfterGcMax.get();
    }

    /** CPU seconds per wall second: how many cores the run kept busy. */
    double coresUsed() {
        return wallNanos == 0 ? 0 : (double) cpuNanos / wallNanos;
    }
}
