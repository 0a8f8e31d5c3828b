package io.logpush.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark in miniature, as CI runs it: every contender on a small mix, a two-step jobs
 * sweep and a short latency run. It checks that the benchmark measures what it claims (every
 * configured event delivered by both writers, figures present and plausible), not how fast.
 */
class BenchSmokeITCase {

    @TempDir
    Path results;

    @TempDir
    Path work;

    @Test
    void everyContenderRunsAndTheFiguresAddUp() throws Exception {
        int exit = Cli.commandLine(new BenchCommand()).execute("--events", "20000", "--sweep-events", "20000", "--workloads", "mix,sweep",
                "--sweep-jobs", "10,200", "--warmup", "1", "--max-warmup", "1", "--latency-seconds", "4", "--latency-rate", "500", "--latency-contenders", "ours",
                "--checkpoint-interval", "1", "--results", results.toString(), "--work", work.toString());
        assertThat(exit).isZero();

        JsonNode report = new ObjectMapper().readTree(results.resolve("results.json").toFile());
        List<String> runs = new ArrayList<>();
        double jitSeconds = 0;
        for (JsonNode run : report.get("runs")) {
            String name = run.get("workload").asText() + "/" + run.get("contender").asText();
            runs.add(name);
            assertThat(run.get("eventsPerSecond").asDouble()).as(name).isPositive();
            assertThat(run.get("midRunEventsPerSecond").asDouble()).as(name + ": read from the events source's counters").isPositive();
            assertThat(run.get("jitSeconds").asDouble()).as(name).isNotNegative();
            jitSeconds += run.get("jitSeconds").asDouble();
            assertThat(run.get("events").asLong()).as(name).isEqualTo(20_000);
            assertThat(run.get("warmUps").asInt()).as(name + ": a sweep after another workload does not warm up")
                    .isEqualTo(name.startsWith("jobs-sweep") ? 0 : 1);
            if (!run.get("contender").asText().equals("ceiling")) {
                assertThat(run.get("expectedDelivered").asLong()).as(name).isPositive();
                assertThat(run.get("delivered").asLong()).as(name + ": every configured event, once")
                        .isEqualTo(run.get("expectedDelivered").asLong());
            }
            long closed = 0;
            for (JsonNode count : run.get("batchesClosed")) {
                closed += count.asLong();
            }
            assertThat(closed).as(name + ": our batches closed, each one object; none for the others")
                    .isEqualTo(run.get("contender").asText().equals("ours") ? run.get("objects").asLong() : 0);
        }
        assertThat(jitSeconds).as("a JVM that has run a job once still compiles code in the next runs").isPositive();
        assertThat(runs).containsExactly("cloudflare-mix/ceiling", "cloudflare-mix/naive", "cloudflare-mix/ours",
                "jobs-sweep-10/ours", "jobs-sweep-200/ours");
        JsonNode mix = report.get("runs").get(2);
        assertThat(mix.get("expectedDelivered").asDouble() / 20_000).as("about 10% of events are for configured jobs")
                .isBetween(0.08, 0.12);

        JsonNode latency = report.get("latencies").get(0);
        assertThat(latency.get("records").asLong()).as("every paced record seen").isEqualTo(latency.get("produced").asLong());
        assertThat(latency.get("p99Millis").asLong()).isGreaterThanOrEqualTo(latency.get("p50Millis").asLong()).isPositive();
        assertThat(Files.readString(results.resolve("results.md"))).contains("| cloudflare-mix | 1,000 | ours |", "| JIT s |", "| mid-run events/s |", "latency",
                        "## Why our batches closed", "| interval |")
                .as("by default the events name their dataset in a header").doesNotContain("without a dataset header");
        // Deleting it just before the next run would slow that run's file creation (steps.md §30).
        assertThat(work.resolve("discarded")).as("the warm-up's output, moved aside and kept in a given --work folder")
                .isDirectoryContaining(path -> path.getFileName().toString().startsWith("ours-"));
    }

    @Test
    void gzipLevelZeroWritesOurObjectsUncompressedWhileTheNaiveGzipJobWritesGzipFiles() throws Exception {
        // Events without a dataset header too: ours reads the topic as http_requests', or it would deliver nothing.
        int exit = Cli.commandLine(new BenchCommand()).execute("--events", "5000", "--workloads", "all", "--all-jobs", "20",
                "--contenders", "naive_gzip,ours", "--gzip-level", "0", "--no-dataset-header", "--warmup", "0", "--latency-seconds", "0",
                "--checkpoint-interval", "1", "--results", results.toString(), "--work", work.toString());
        assertThat(exit).isZero();

        JsonNode runs = new ObjectMapper().readTree(results.resolve("results.json").toFile()).get("runs");
        assertThat(runs).extracting(run -> run.get("contender").asText()).containsExactly("naive_gzip", "ours");
        for (JsonNode run : runs) {
            assertThat(run.get("delivered").asLong()).as(run.get("contender").asText() + ": every event, once (read back gunzipped)")
                    .isEqualTo(run.get("expectedDelivered").asLong()).isPositive();
        }
        assertThat(fileNames(work.resolve("all-configured-20").resolve("ours")))
                .isNotEmpty().allMatch(name -> name.endsWith(".log"), "uncompressed objects");
        assertThat(fileNames(work.resolve("all-configured-20").resolve("naive_gzip")))
                .isNotEmpty().allMatch(name -> name.endsWith(".gz"), "gzip part files");
        assertThat(Files.readString(results.resolve("results.md")))
                .contains("our objects uncompressed", "events without a dataset header", "| naive_gzip |");
    }

    private static List<String> fileNames(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void aGzipLevelOutsideZeroToNineIsRefusedBeforeAnythingRuns() {
        int exit = Cli.commandLine(new BenchCommand()).execute("--gzip-level", "10", "--results", results.toString(),
                "--work", work.toString());
        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(results.resolve("results.json")).doesNotExist();
    }
}
