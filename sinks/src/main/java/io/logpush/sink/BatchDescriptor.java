package io.logpush.sink;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * What the sink needs to know about one batch to name and account for its object: whose it is
 * (job id, sequence number), where it goes (a directory URI with {@code {DATE}} already resolved),
 * the time range and size of its records.
 *
 * <p>The object is named {@code <start>_<end>_<hash>.log.gz} like Cloudflare's, where start and
 * end are the first and last record times ({@code YYYYMMDDTHHMMSSZ}, UTC) and the hash is a
 * deterministic function of (job id, sequence), so a replayed batch gets the same name.
 *
 * @param configVersion the version of the job's config the batch was built under
 * @param directory the target directory as a URI, e.g. {@code s3://bucket/logs/20241114}
 * @param records how many records the batch holds
 * @param bytes the uncompressed size of the batch
 */
public record BatchDescriptor(long jobId, long configVersion, long sequence, String directory, Instant firstRecord, Instant lastRecord,
                              long records, long bytes) {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public BatchDescriptor {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(firstRecord, "firstRecord");
        Objects.requireNonNull(lastRecord, "lastRecord");
        if (jobId < 1 || configVersion < 0 || sequence < 0 || records < 0 || bytes < 0) {
            throw new IllegalArgumentException("job id must be positive; config version, sequence, records and bytes not negative");
        }
        if (directory.isEmpty() || directory.endsWith("/")) {
            throw new IllegalArgumentException("directory must be a URI without a trailing slash: " + directory);
        }
    }

    /** The object's file name, e.g. {@code 20241114T100000Z_20241114T100030Z_3f2a9c1e.log.gz}. */
    public String objectName(Compression compression) {
        return STAMP.format(firstRecord) + "_" + STAMP.format(lastRecord) + "_" + hash() + compression.extension();
    }

    /** The object's full URI. */
    public String objectPath(Compression compression) {
        return directory + "/" + objectName(compression);
    }

    /** Eight hex digits, a deterministic mix of job id and sequence number. */
    public String hash() {
        long z = jobId * 0x9E3779B97F4A7C15L + sequence;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return String.format("%08x", (int) z);
    }

    @Override
    public String toString() {
        return "batch " + sequence + " of job " + jobId + " (" + records + " records, " + bytes + " bytes)";
    }
}
