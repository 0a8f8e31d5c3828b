package io.logpush.job.records;

import io.logpush.config.LogpushJob;
import io.logpush.config.output.OutputOptions;

import java.nio.charset.StandardCharsets;

/**
 * What a job's open batch was promised when it opened: where it goes, how it is framed and where
 * its limits are. Kept in keyed state, so a batch opened under one config version closes under
 * that version even after the job changed.
 *
 * @param directoryTemplate the destination directory with {@code {DATE}} unresolved
 * @param maxBytes uncompressed object size limit, 0 for none
 * @param maxRecords record limit, 0 for none
 * @param maxIntervalMillis age limit from the first record, 0 for none
 */
public record BatchFrame(long configVersion, String directoryTemplate, byte[] batchPrefix, byte[] batchSuffix,
                         byte[] recordDelimiter, long maxBytes, long maxRecords, long maxIntervalMillis) {

    private static final byte[] NONE = new byte[0];
    private static final byte[] NEWLINE = {'\n'};

    public static BatchFrame of(LogpushJob job, long configVersion) {
        OutputOptions o = job.outputOptions();
        return new BatchFrame(configVersion, job.destination().directoryTemplate(), bytes(o.batchPrefix()),
                bytes(o.batchSuffix()), bytes(o.recordDelimiter()), job.limits().maxBytes(), job.limits().maxRecords(),
                job.limits().maxInterval().toMillis());
    }

    /** Shared arrays for the usual framing: every buffer instance holds a frame per job. Never written to. */
    private static byte[] bytes(String s) {
        return shared(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code bytes}, or the shared array with the same content for the usual framing (empty, a newline). */
    static byte[] shared(byte[] bytes) {
        return bytes.length == 0 ? NONE : bytes.length == 1 && bytes[0] == '\n' ? NEWLINE : bytes;
    }

    /** Bytes an object has besides its records: batch prefix and suffix. */
    public long overhead() {
        return batchPrefix.length + batchSuffix.length;
    }
}
