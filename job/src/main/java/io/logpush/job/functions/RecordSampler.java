package io.logpush.job.functions;

import io.logpush.job.records.RawEvent;

/**
 * Deterministic sampling: whether an event is in a job's sample depends only on the job and the
 * event's position in Kafka, so a replay after failover samples exactly the same events.
 */
final class RecordSampler {

    private RecordSampler() {}

    static boolean keep(long jobId, RawEvent event, double rate) {
        if (rate >= 1.0) {
            return true;
        }
        long z = jobId * 0x9E3779B97F4A7C15L ^ event.offset() * 0xBF58476D1CE4E5B9L ^ (long) event.partition() << 48
                ^ event.topic().hashCode();
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        double unit = (z >>> 11) * 0x1.0p-53;
        return unit < rate;
    }
}
