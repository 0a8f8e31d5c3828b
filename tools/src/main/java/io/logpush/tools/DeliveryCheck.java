package io.logpush.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads committed batch objects back from a local destination root, one folder per job, and
 * tells per job what arrived: objects, records, distinct events (by {@code RayID}), duplicates and
 * the owners ({@code ZoneName}) seen. Reads ndjson, and csv whose first columns are RayID and ZoneName. Hidden (in-progress) files are not data and are skipped.
 * Objects are immutable once visible, so each is read once however often it is asked.
 */
public final class DeliveryCheck {

    /** What one job's folder holds. */
    public record JobDelivery(String job, int objects, long records, long distinct, Set<String> owners, long largestObject) {
        public long duplicates() {
            return records - distinct;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Set<Path> read = new HashSet<>();
    private final Map<String, Set<String>> events = new HashMap<>();
    private final Map<String, long[]> counts = new HashMap<>(); // objects, records, largest object (records)
    private final Map<String, Set<String>> owners = new HashMap<>();

    public DeliveryCheck(Path root) {
        this.root = root;
    }

    /** Reads the objects that appeared since the last call and returns the totals per job folder. */
    public Map<String, JobDelivery> scan() {
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().startsWith("."))
                        .filter(f -> f.getFileName().toString().matches(".*\\.log(\\.gz)?"))
                        .filter(read::add)
                        .forEach(this::readObject);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, JobDelivery> result = new TreeMap<>();
        counts.forEach((job, c) -> result.put(job, new JobDelivery(job, (int) c[0], c[1], events.get(job).size(),
                Set.copyOf(owners.get(job)), c[2])));
        return result;
    }

    private void readObject(Path file) {
        String job = root.relativize(file).getName(0).toString();
        long[] c = counts.computeIfAbsent(job, j -> new long[3]);
        Set<String> seen = events.computeIfAbsent(job, j -> new HashSet<>());
        Set<String> jobOwners = owners.computeIfAbsent(job, j -> new HashSet<>());
        long records = 0;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        c[0]++;
        c[1] += records;
        c[2] = Math.max(c[2], records);
    }
}
