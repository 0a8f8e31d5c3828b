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
 * @param awaitedVersion the config version the held records wait for ({@link #NO_VERSION} when none wait)
 * @param frameVersion the config version of the batch's {@link BatchFrame}, so that the common case
 *     (the job has not changed since the batch opened) needs no read of the frame; {@link #NO_VERSION}
 *     when unframed: then the frame state is read
 *
 * <p>Config versions are config-topic offsets, so 0 is a version (the topic's first job). State
 * written before {@link #NO_VERSION} used 0 for "none" in both fields; read as version 0 it is
 * still right: a job whose config is version 0 never changed, so its batch's frame is that config,
 * and a batch that seems to await version 0 is only cut record by record, exactly.
 */
public record OpenBatchState(long count, long bytes, long firstEventTime, long lastEventTime, long openedAt, long timer,
                             long awaitedVersion, long frameVersion) {

    /** No config version: no held records wait, or the batch has no frame yet. */
    public static final long NO_VERSION = -1;

    public OpenBatchState withTimer(long timer) {
        return new OpenBatchState(count, bytes, firstEventTime, lastEventTime, openedAt, timer, awaitedVersion, frameVersion);
    }

    public OpenBatchState awaiting(long version) {
        return new OpenBatchState(count, bytes, firstEventTime, lastEventTime, openedAt, timer, version, frameVersion);
    }
}
