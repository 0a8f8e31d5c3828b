package io.logpush.sink.testutils;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.StagingArea;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Test batches and helpers to read what the sink made visible. */
public final class Batches {

    public static final Instant T0 = Instant.parse("2024-11-14T10:00:00Z");
    private static final int GZIP_HEADER = 10;
    /** CRC-32 and length. */
    private static final int GZIP_TRAILER = 8;

    private Batches() {}

    /** A batch descriptor for {@code records} records whose text is {@link #record(long, long, int)}. */
    public static BatchDescriptor descriptor(Path root, long job, long sequence, int records) {
        long bytes = 0;
        for (int r = 0; r < records; r++) {
            bytes += record(job, sequence, r).length();
        }
        return new BatchDescriptor(job, 1, sequence, root.toUri().toString().replaceAll("/$", "") + "/job-" + job + "/20241114",
                T0.plusSeconds(sequence), T0.plusSeconds(sequence + 1), records, bytes);
    }

    public static String record(long job, long sequence, int index) {
        return "{\"job\":" + job + ",\"batch\":" + sequence + ",\"record\":" + index + "}\n";
    }

    /** The batch's records, split into chunks of at most {@code chunkBytes}. */
    public static List<BatchChunk> chunks(BatchDescriptor batch, int chunkBytes) {
        StringBuilder all = new StringBuilder();
        for (int r = 0; r < batch.records(); r++) {
            all.append(record(batch.jobId(), batch.sequence(), r));
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        List<BatchChunk> chunks = new ArrayList<>();
        for (int offset = 0, index = 0; offset < bytes.length || index == 0; offset += chunkBytes, index++) {
            int end = Math.min(bytes.length, offset + chunkBytes);
            byte[] part = java.util.Arrays.copyOfRange(bytes, offset, end);
            chunks.add(new BatchChunk(batch, index, end == bytes.length, part));
        }
        return chunks;
    }

    /** The sink's staging area for tests that write under {@code root}: {@code root/system}. */
    public static StagingArea staging(Path root) {
        return StagingArea.at(root.resolve("system").toUri().toString());
    }

    /** A Flink path on the local file system as a {@link Path}. */
    public static Path local(org.apache.flink.core.fs.Path path) {
        return Path.of(path.toUri());
    }

    /** Visible objects under {@code root}: regular files whose names do not start with a dot. */
    public static List<Path> visibleObjects(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a gzip object as the strictest readers do: as one member, its checksum and length
     * checked, and nothing after it. {@link java.util.zip.GZIPInputStream} and gunzip read on into
     * further members, but Python's {@code zlib.decompress(data, 31)} and Rust flate2's
     * {@code GzDecoder} stop after the first: an object of several members would lose records there.
     */
    public static byte[] gunzipOneMember(byte[] gzip) throws IOException {
        if (gzip.length < GZIP_HEADER + GZIP_TRAILER || (gzip[0] & 0xff) != 0x1f || (gzip[1] & 0xff) != 0x8b || gzip[2] != 8
                || gzip[3] != 0) {
            throw new IOException("not a gzip member with a plain 10-byte header (" + gzip.length + " bytes)");
        }
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            inflater.setInput(gzip, GZIP_HEADER, gzip.length - GZIP_HEADER);
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("the deflate stream ends before its final block");
                }
                out.write(buffer, 0, n);
            }
            if (inflater.getRemaining() != GZIP_TRAILER) {
                throw new IOException((inflater.getRemaining() - GZIP_TRAILER) + " bytes after the first member's trailer:"
                        + " a reader of one member would stop there");
            }
        } catch (DataFormatException e) {
            throw new IOException("a corrupt deflate stream", e);
        } finally {
            inflater.end();
        }
        byte[] content = out.toByteArray();
        ByteBuffer trailer = ByteBuffer.wrap(gzip, gzip.length - GZIP_TRAILER, GZIP_TRAILER).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(content);
        if (trailer.getInt() != (int) crc.getValue() || trailer.getInt() != content.length) {
            throw new IOException("the trailer's CRC-32 or length does not match the content");
        }
        return content;
    }

    /** An object's text, read as {@link #gunzipOneMember(byte[])} reads it. */
    public static String gunzip(InputStream in) throws IOException {
        try (in) {
            return new String(gunzipOneMember(in.readAllBytes()), StandardCharsets.UTF_8);
        }
    }

    public static String gunzip(Path file) throws IOException {
        return gunzip(Files.newInputStream(file));
    }
}
