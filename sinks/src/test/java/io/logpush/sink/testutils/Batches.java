package io.logpush.sink.testutils;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.GzipObjectReader;
import io.logpush.sink.StagingArea;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test batches and helpers to read what the sink made visible. */
public final class Batches {

    public static final Instant T0 = Instant.parse("2024-11-14T10:00:00Z");

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

    /** An object's text, read as the strictest gzip readers read it ({@link GzipObjectReader}). */
    public static String gunzip(InputStream in) throws IOException {
        try (in) {
            return new String(GzipObjectReader.read(in.readAllBytes()), StandardCharsets.UTF_8);
        }
    }

    public static String gunzip(Path file) throws IOException {
        return gunzip(Files.newInputStream(file));
    }
}
