package io.logpush.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How far a run has read the events topic, sampled every {@link #PERIOD_MILLIS} ms from the
 * events source's own {@code numRecordsOut} counters, which Flink hands over through
 * {@link BenchMetricsReporter}. It gives the rate in the middle of a run: from {@link #FROM} to
 * {@link #TO} of the topic read, where neither startup nor the end of input (the last batches'
 * flush, the final checkpoint and commit) counts. The events source has the same name in every
 * contender.
 */
final class ReadProgress implements AutoCloseable {

    static final String SOURCE_OPERATOR = "Source: Events topic";
    static final double FROM = 0.1;
    static final double TO = 0.9;
    private static final long PERIOD_MILLIS = 10;
    /**
     * The events source's counters by job id, as Flink registers them; dropped when the job's watch
     * closes (the paced latency runs have no watch: their few counters stay).
     */
    private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();

    private final String job;
    private final Crossings crossings;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-read-progress");
        thread.setDaemon(true);
        return thread;
    });

    private ReadProgress(JobID job, long events) {
        this.job = job.toString();
        this.crossings = new Crossings(FROM * events, TO * events);
        sampler.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Keeps {@code counter} if it is the events source's records out ({@link BenchMetricsReporter} offers each counter). */
    static void offer(Counter counter, String name, Map<String, String> scope) {
        if (name.equals("numRecordsOut") && SOURCE_OPERATOR.equals(scope.get(ScopeFormat.SCOPE_OPERATOR_NAME))) {
            COUNTERS.computeIfAbsent(scope.get(ScopeFormat.SCOPE_JOB_ID), id -> new CopyOnWriteArrayList<>()).add(counter);
        }
    }

    /** Starts sampling how much of its {@code events} a submitted job has read. */
    static ReadProgress watch(JobID job, long events) {
        return new ReadProgress(job, events);
    }

    /** The events a job's events source has emitted so far, over all its subtasks. */
    static long readSoFar(String job) {
        return COUNTERS.getOrDefault(job, List.of()).stream().mapToLong(Counter::getCount).sum();
    }

    private void sample() {
        crossings.sample(System.nanoTime(), readSoFar(job));
    }

    /** Events per second between {@link #FROM} and {@link #TO} of the topic read, or NaN if the run did not pass both. */
    double midRunEventsPerSecond() {
        return crossings.perSecond();
    }

    /** Takes a last sample and stops; the rate is final afterwards. */
    @Override
    public void close() throws InterruptedException {
        sampler.shutdown();
        sampler.awaitTermination(1, TimeUnit.MINUTES);
        sample();
        COUNTERS.remove(job);
    }

    /** When a growing count passed two marks, each interpolated between the samples either side of it. */
    static final class Crossings {
        private final double from;
        private final double to;
        private long fromNanos = -1;
        private long toNanos = -1;
        private long lastNanos = -1;
        private long lastCount;

        Crossings(double from, double to) {
            this.from = from;
            this.to = to;
        }

        synchronized void sample(long nanos, long count) {
            fromNanos = fromNanos >= 0 ? fromNanos : crossing(from, nanos, count);
            toNanos = toNanos >= 0 ? toNanos : crossing(to, nanos, count);
            lastNanos = nanos;
            lastCount = count;
        }

        /** When the count passed {@code mark}: -1 if not yet, this sample's time if it is the first. */
        private long crossing(double mark, long nanos, long count) {
            if (count < mark) {
                return -1;
            }
            if (lastNanos < 0) {
                return nanos;
            }
            return lastNanos + Math.round((nanos - lastNanos) * (mark - lastCount) / (count - lastCount));
        }

        /** The count's growth per second from the first mark to the second, or NaN if it has not passed both apart. */
        synchronized double perSecond() {
            return fromNanos < 0 || toNanos <= fromNanos ? Double.NaN : (to - from) / ((toNanos - fromNanos) / 1e9);
        }
    }
}
