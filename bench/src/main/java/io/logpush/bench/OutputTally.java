package io.logpush.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Counts what a run left visible under its output folder: objects, bytes, records (lines, gunzipped where gzip). */
record OutputTally(long objects, long bytes, long records) {

    static OutputTally of(Path root) {
        long objects = 0;
        long bytes = 0;
        long records = 0;
        for (Path file : visibleFiles(root)) {
            try {
                objects++;
                bytes += Files.size(file);
                records += lines(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new OutputTally(objects, bytes, records);
    }

    /** Committed objects: regular files whose name does not start with '.' (in-progress files are hidden). */
    static List<Path> visibleFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in, 64 * 1024) : in;
    }

    private static long lines(Path file) throws IOException {
        long lines = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = open(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }
}
