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
 */
public record OpenBatchState(long count, long bytes, long firstEventTime, long lastEventTime, long openedAt, long timer,
                             long awaitedVersion) {

    public OpenBatchState withTimer(long timer) {
        return new OpenBatchState(count, bytes, firstEventTime, lastEventTime, openedAt, timer, awaitedVersion);
    }
}
