package io.logpush.job.records;

/**
 * The counters of a job's open batch, read and written once per record (so it stays small).
 *
 * @param count records buffered
 * @param bytes the object's uncompressed size if it closed now (framing included; without a frame yet, records only)
 * @param firstEventTime event time of the first record (epoch ms)
 * @param lastEventTime event time of the latest record (epoch ms)
 * @param openedAt processing time of the first record (epoch ms): the interval limit counts from here
 * @param timer the one processing-time timer this batch has registered
 * @param awaitedVersion the config version the held records wait for (0 when none wait)
 * @param frameVersion the config version of the batch's {@link BatchFrame}, so that the common case
 *     (the job has not changed since the batch opened) needs no read of the frame; 0 when unframed
 *     or unknown (state from before this field): then the frame state is read
 */
public record OpenBatchState(long count, long bytes, long firstEventTime, long lastEventTime, long openedAt, long timer,
                             long awaitedVersion, long frameVersion) {

    public OpenBatchState withTimer(long timer) {
        return new OpenBatchState(count, bytes, firstEventTime, lastEventTime, openedAt, timer, awaitedVersion, frameVersion);
    }

    public OpenBatchState awaiting(long version) {
        return new OpenBatchState(count, bytes, firstEventTime, lastEventTime, openedAt, timer, version, frameVersion);
    }
}
