package io.logpush.sink.testutils;

/** A deterministic test batch: the {@code index}-th batch of a run, for one of {@code jobs} jobs. */
public record BatchSpec(long job, long sequence, int records) {

    /** Largest batch of a test run, in records: the test's "max_upload_records". */
    public static final int MAX_RECORDS = 300;

    public static BatchSpec of(long index, int jobs) {
        long job = 1 + index % jobs;
        long sequence = index / jobs;
        int records = 1 + (int) Math.floorMod(index * 7919L, MAX_RECORDS);
        return new BatchSpec(job, sequence, records);
    }
}
