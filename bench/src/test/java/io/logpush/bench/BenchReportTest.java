package io.logpush.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {

    private static RunResult run(String contender, double steady, long liveHeapMiB) {
        return new RunResult("all-configured-1", contender, 1, 1_000, 1_000, 1_000, 1, 100, 1.0, 0.1, steady, steady, Double.NaN,
                1.5, 0.1, steady / 1.5, liveHeapMiB, 0, 1, 10, 10, 0, Map.of());
    }

    private static String row(String markdown, String contender) {
        return markdown.lines().filter(line -> line.startsWith("| all-configured-1 | 1 | " + contender + " |")).findFirst().orElseThrow();
    }

    @Test
    void aRunWithoutAReportedCollectionShowsNoLiveHeapRatherThanNone() {
        String md = new BenchReport("now", 2, 5, 5, 6, 5, 4, true, 1_000, 1_000, 42, 1, WarmUp.NONE,
                List.of(run("naive", 100, 48), run("ours", 150, -1)), List.of(), Map.of()).markdown();
        assertThat(row(md, "naive")).contains("| 48 |").contains("| 1.00 |");
        assertThat(row(md, "ours")).contains("| – | 0.0 |").doesNotContain("| -1 |").contains("| 1.50 |");
    }

    @Test
    void eachRowSaysAfterHowManyWarmUpsItWasMeasured() {
        String md = new BenchReport("now", 2, 5, 5, 6, 5, 4, true, 1_000, 1_000, 42, 1, new WarmUp(3, 8),
                List.of(run("naive", 100, 48).afterWarmUps(3), run("ours", 150, 50).afterWarmUps(6)), List.of(), Map.of()).markdown();
        assertThat(md).contains("at least 3, then more while a run's steady rate gained more than 5% on the run before, at most 8");
        assertThat(row(md, "naive")).contains("| 0.1 | 3 | 67 |");
        assertThat(row(md, "ours")).contains("| 0.1 | 6 | 100 |");
        assertThat(md.lines().filter(line -> line.startsWith("|---|")).findFirst().orElseThrow().split("\\|", -1))
                .hasSameSizeAs(row(md, "ours").split("\\|", -1));
    }

    @Test
    void ourRunsSayWhyTheirBatchesClosed() {
        RunResult ours = new RunResult("jobs-sweep-100", "ours", 100, 1_000, 1_000, 1_000, 130, 100, 1.0, 0.1, 10, 10, Double.NaN,
                1.5, 0.1, 10 / 1.5, 40, 0, 1, 10, 10, 0, Map.of("Interval", 100L, "JobChange", 10L, "EndOfInput", 20L));
        String md = new BenchReport("now", 2, 5, 5, 6, 5, 4, true, 1_000, 1_000, 42, 1, WarmUp.NONE,
                List.of(run("naive", 100, 48), ours), List.of(), Map.of()).markdown();
        assertThat(md).contains("| workload | contender | objects | end of input | interval | job change |")
                .contains("| jobs-sweep-100 | ours | 130 | 20 | 100 | 10 |")
                .doesNotContain("| all-configured-1 | naive | 1 |");
    }
}
