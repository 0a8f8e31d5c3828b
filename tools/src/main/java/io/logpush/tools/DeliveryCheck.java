package io.logpush.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.sink.GzipObjectReader;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads committed batch objects back from a destination root ({@code file://} or {@code s3://},
 * through Flink's file systems, so exactly what a customer would list), one folder per job, and
 * tells per job what arrived: objects, records, distinct events (by {@code RayID}), duplicates and
 * the owners ({@code ZoneName}) seen. Reads ndjson, and csv whose first columns are RayID and
 * ZoneName. A gzip object must be one member, as the strictest readers read only the first
 * ({@link GzipObjectReader}). Hidden (in-progress) files are not data and are skipped. Objects are
 * immutable once visible, so each is read once however often it is asked.
 */
public final class DeliveryCheck {

    /** What one job's folder holds. */
    public record JobDelivery(String job, int objects, long records, long distinct, Set<String> owners, long largestObject) {
        public long duplicates() {
            return records - distinct;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI root;
    private final Set<String> read = new HashSet<>();
    private final Map<String, Set<String>> events = new HashMap<>();
    private final Map<String, long[]> counts = new HashMap<>(); // objects, records, largest object (records)
    private final Map<String, Set<String>> owners = new HashMap<>();

    /** @param root a URI ({@code file:///…}, {@code s3://bucket/prefix}) or a local path */
    public DeliveryCheck(String root) {
        URI uri = URI.create(root);
        if (uri.getScheme() == null) {
            uri = java.nio.file.Path.of(root).toAbsolutePath().toUri();
        } else if (uri.getPath() == null || uri.getPath().isEmpty()) {
            uri = URI.create(root + "/"); // s3://bucket: the bucket's root, an absolute path
        }
        this.root = uri;
    }

    /** Reads the objects that appeared since the last call and returns the totals per job folder. */
    public Map<String, JobDelivery> scan() {
        try {
            Path rootPath = new Path(root);
            FileSystem fs = rootPath.getFileSystem();
            if (fs.exists(rootPath)) {
                walk(fs, rootPath, rootPath.toUri().getPath().replaceAll("/$", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
        Map<String, JobDelivery> result = new TreeMap<>();
        counts.forEach((job, c) -> result.put(job, new JobDelivery(job, (int) c[0], c[1], events.get(job).size(),
                Set.copyOf(owners.get(job)), c[2])));
        return result;
    }

    private void walk(FileSystem fs, Path dir, String rootPath) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        if (children == null) {
            return;
        }
        for (FileStatus status : children) {
            String name = status.getPath().getName();
            if (name.startsWith(".")) {
                continue;
            }
            if (status.isDir()) {
                walk(fs, status.getPath(), rootPath);
            } else if (name.matches(".*\\.log(\\.gz)?") && read.add(status.getPath().toString())) {
                String relative = status.getPath().toUri().getPath().substring(rootPath.length()).replaceAll("^/", "");
                readObject(fs, status.getPath(), relative.substring(0, Math.max(0, relative.indexOf('/'))));
            }
        }
    }

    /** A gzip object's content, read as the strictest readers read it: one member, checked ({@link GzipObjectReader}). */
    private static byte[] gunzip(InputStream raw, Path file) throws IOException {
        try {
            return GzipObjectReader.read(raw.readAllBytes());
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage()); // the object and the reason: what the CLI prints
        }
    }

    private void readObject(FileSystem fs, Path file, String job) throws IOException {
        long[] c = counts.computeIfAbsent(job, j -> new long[3]);
        Set<String> seen = events.computeIfAbsent(job, j -> new HashSet<>());
        Set<String> jobOwners = owners.computeIfAbsent(job, j -> new HashSet<>());
        long records = 0;
        try (InputStream raw = fs.open(file);
             InputStream in = file.getName().endsWith(".gz") ? new ByteArrayInputStream(gunzip(raw, file)) : raw;
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String rayId;
                String owner;
                if (line.startsWith("{")) {
                    JsonNode record = JSON.readTree(line);
                    rayId = record.path("RayID").asText();
                    owner = record.path("ZoneName").asText();
                } else {
                    // csv: RayID and ZoneName first; the header line (batch_prefix) names them.
                    String[] columns = line.split(",", 3);
                    if (line.isBlank() || columns.length < 2 || columns[0].equals("RayID")) {
                        continue;
                    }
                    rayId = columns[0];
                    owner = columns[1];
                }
                records++;
                seen.add(rayId);
                jobOwners.add(owner);
            }
        }
        c[0]++;
        c[1] += records;
        c[2] = Math.max(c[2], records);
    }
}
