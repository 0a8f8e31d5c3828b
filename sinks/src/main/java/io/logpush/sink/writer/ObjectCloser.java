package io.logpush.sink.writer;

import io.logpush.sink.committer.BatchCommittable;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closes finished objects for commit on background threads, so that the task thread does not
 * wait for what a close waits for: an {@code fsync} on a local file system (about 0.3 ms per object
 * here), the last part's upload on S3. At most {@code concurrency} closes are in flight; a further
 * one first waits for the oldest. The writer collects every close before it hands its committables
 * to a checkpoint, so a checkpoint never holds an object that is not durable.
 *
 * <p>Not thread-safe: the writer's task thread calls it.
 */
final class ObjectCloser implements AutoCloseable {

    private final int concurrency;
    private final ExecutorService threads;
    /** Closes in flight, oldest first: committables keep the order in which their batches completed. */
    private final ArrayDeque<Future<BatchCommittable>> pending = new ArrayDeque<>();

    ObjectCloser(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrent closes must be at least 1, not " + concurrency);
        }
        this.concurrency = concurrency;
        this.threads = Executors.newFixedThreadPool(concurrency, new ExecutorThreadFactory("batch-close"));
    }

    /** Starts {@code close}; when {@code concurrency} closes are in flight, first adds the oldest's committable to {@code done}. */
    void submit(Callable<BatchCommittable> close, List<BatchCommittable> done) throws IOException {
        if (pending.size() >= concurrency) {
            done.add(await(pending.poll()));
        }
        pending.add(threads.submit(close));
    }

    /** Waits for every close in flight and adds their committables to {@code done}, oldest first. */
    void awaitAll(List<BatchCommittable> done) throws IOException {
        while (!pending.isEmpty()) {
            done.add(await(pending.poll()));
        }
    }

    int inFlight() {
        return pending.size();
    }

    /** Abandons the closes in flight (shutdown or failover): their objects were in no checkpoint. */
    @Override
    public void close() {
        pending.clear();
        threads.shutdownNow();
    }

    private static BatchCommittable await(Future<BatchCommittable> close) throws IOException {
        try {
            return close.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while closing a batch object");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("closing a batch object failed", e.getCause());
        }
    }
}
