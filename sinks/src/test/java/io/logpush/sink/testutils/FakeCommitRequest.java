package io.logpush.sink.testutils;

import org.apache.flink.api.connector.sink2.Committer;

/** A commit request that remembers what the committer signalled. */
public final class FakeCommitRequest<T> implements Committer.CommitRequest<T> {

    /** What the committer said about the request. */
    public enum Outcome { COMMITTED, RETRY_LATER, FAILED_KNOWN, FAILED_UNKNOWN, ALREADY_COMMITTED }

    private final T committable;
    private final int retries;
    private Outcome outcome = Outcome.COMMITTED;

    public FakeCommitRequest(T committable, int retries) {
        this.committable = committable;
        this.retries = retries;
    }

    public FakeCommitRequest(T committable) {
        this(committable, 0);
    }

    public Outcome outcome() {
        return outcome;
    }

    @Override
    public T getCommittable() {
        return committable;
    }

    @Override
    public int getNumberOfRetries() {
        return retries;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
        outcome = Outcome.FAILED_KNOWN;
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
        outcome = Outcome.FAILED_UNKNOWN;
    }

    @Override
    public void retryLater() {
        outcome = Outcome.RETRY_LATER;
    }

    @Override
    public void updateAndRetryLater(T committable) {
        outcome = Outcome.RETRY_LATER;
    }

    @Override
    public void signalAlreadyCommitted() {
        outcome = Outcome.ALREADY_COMMITTED;
    }
}
