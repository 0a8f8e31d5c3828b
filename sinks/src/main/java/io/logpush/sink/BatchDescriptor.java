package io.logpush.sink;

import java.time.Instant;
import java.time.LocalDateTime;
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

    /** The job's lane the batch was built in ({@link JobLanes}): 0 unless the job is spread over several. */
    public int lane() {
        return JobLanes.laneOfSequence(sequence);
    }

    /** The key of that lane: the job id for lane 0. */
    public long laneKey() {
        return JobLanes.key(jobId, lane());
    }

    /** The object's file name, e.g. {@code 20241114T100000Z_20241114T100030Z_3f2a9c1e.log.gz}. */
    public String objectName(Compression compression) {
        StringBuilder name = new StringBuilder(48);
        appendStamp(name, firstRecord).append('_');
        appendStamp(name, lastRecord).append('_');
        return name.append(hash()).append(compression.extension()).toString();
    }

    /** The stamp of {@link #STAMP}, written digit by digit for the usual years (every object is named). */
    private static StringBuilder appendStamp(StringBuilder name, Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return name.append(STAMP.format(time));
        }
        appendDigits(name, t.getYear(), 4);
        appendDigits(name, t.getMonthValue(), 2);
        appendDigits(name, t.getDayOfMonth(), 2);
        name.append('T');
        appendDigits(name, t.getHour(), 2);
        appendDigits(name, t.getMinute(), 2);
        appendDigits(name, t.getSecond(), 2);
        return name.append('Z');
    }

    private static void appendDigits(StringBuilder name, int value, int digits) {
        for (int scale = digits == 4 ? 1000 : 10; scale > 0; scale /= 10) {
            name.append((char) ('0' + value / scale % 10));
        }
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
        String hex = Integer.toHexString((int) z);
        return "00000000".substring(hex.length()) + hex;
    }

    @Override
    public String toString() {
        String lane = lane() == 0 ? "" : " lane " + lane();
        return "batch " + sequence + " of job " + jobId + lane + " (" + records + " records, " + bytes + " bytes)";
    }
}
