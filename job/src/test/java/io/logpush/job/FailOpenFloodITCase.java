package io.logpush.job;

import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.job.testutils.AckedProducer;
import io.logpush.job.testutils.JobConfigs;
import io.logpush.job.testutils.PipelineRun;
import io.logpush.job.testutils.ReportedMetrics;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay of 2024-11-14, step two: logs of every customer arrive, 40× as many owners as have a job
 * (Cloudflare's fail-open path). Here they cost a counter each: they are counted as unconfigured,
 * never parsed, never reach a buffer (so no state is created for them), and the configured
 * customers' events are all delivered. Throughput against a run without the flood is reported,
 * not asserted (timing belongs to the benchmark).
 */
class FailOpenFloodITCase {

    private static final int JOBS = 20;
    private static final int CONFIGURED_EVENTS = 4_000;
    private static final int FLOOD_FACTOR = 40;
    private static final ReportedMetrics METRICS = new ReportedMetrics();

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = METRICS.miniCluster();

    @TempDir
    Path warmupOutput;

    @TempDir
    Path baselineOutput;

    @TempDir
    Path floodOutput;

    @TempDir
    Path checkpoints;

    /** Runs the pipeline over the events; returns seconds from start until every configured event is delivered. */
    private double runUntilDelivered(PipelineRun run, int floodFactor, long[] counters) throws Exception {
        return runUntilDelivered(run, floodFactor, counters, CONFIGURED_EVENTS);
    }

    private double runUntilDelivered(PipelineRun run, int floodFactor, long[] counters, int configuredEvents) throws Exception {
        try (AckedProducer producer = run.producer()) {
            for (int job = 1; job <= JOBS; job++) {
                producer.send(ConfigRecordCodec.upsert(run.configTopic(), job, JobConfigs.json(job, "zone-" + job,
                        run.destination(job), true, "\"max_upload_records\":1000,\"max_upload_interval_seconds\":1")));
            }
            for (int i = 0; i < configuredEvents; i++) {
                producer.send(run.event("zone-" + (1 + i % JOBS), "http_requests", "e" + i, System.currentTimeMillis()));
                for (int f = 0; f < floodFactor; f++) {
                    // 40x as many owners as have a job (800), 40x as many events.
                    producer.send(run.event("unconfigured-" + ((i * floodFactor + f) % (JOBS * FLOOD_FACTOR)), "http_requests",
                            "u" + i + "-" + f, System.currentTimeMillis()));
                }
            }
        }
        long started = System.nanoTime();
        JobClient client = run.start("flood-" + floodFactor);
        run.awaitDelivered(n -> n >= configuredEvents, "every configured event", Duration.ofSeconds(180));
        double seconds = (System.nanoTime() - started) / 1e9;
        JobID job = client.getJobID();
        counters[0] = METRICS.sum(job, "eventsUnconfigured");
        counters[1] = METRICS.sum(job, "recordsIn");
        counters[2] = METRICS.sum(job, "eventsDeadLettered");
        counters[3] = METRICS.sum(job, "eventsRead");
        counters[4] = METRICS.sum(job, "eventsIn");
        run.cancel();
        return seconds;
    }

    @Test
    void unconfiguredOwnersAreCountedNotBufferedAndConfiguredOnesLoseNothing() throws Exception {
        // A first, small run pays for class loading and RocksDB's native library, so the two measured runs compare.
        runUntilDelivered(new PipelineRun(KAFKA, warmupOutput, checkpoints), 0, new long[5], 100);
        long[] baseline = new long[5];
        double baselineSeconds = runUntilDelivered(new PipelineRun(KAFKA, baselineOutput, checkpoints), 0, baseline);
        long[] flood = new long[5];
        PipelineRun floodRun = new PipelineRun(KAFKA, floodOutput, checkpoints);
        double floodSeconds = runUntilDelivered(floodRun, FLOOD_FACTOR, flood);

        assertThat(floodRun.delivered()).as("every configured event, once").isEqualTo(CONFIGURED_EVENTS);
        assertThat(flood[0]).as("the flood counted as unconfigured").isEqualTo((long) CONFIGURED_EVENTS * FLOOD_FACTOR);
        assertThat(flood[1]).as("only configured events reach a buffer, so no state exists for the flood").isEqualTo(CONFIGURED_EVENTS);
        assertThat(flood[2]).as("nothing dead-lettered").isZero();
        assertThat(flood[3]).as("every event read").isEqualTo((long) CONFIGURED_EVENTS * (FLOOD_FACTOR + 1));
        assertThat(flood[4]).as("the flood dropped in the source's task, before the router").isEqualTo(CONFIGURED_EVENTS);
        assertThat(baseline[1]).isEqualTo(CONFIGURED_EVENTS);
        System.out.printf("REPORT fail-open flood: %,d configured + %,d unconfigured events (%d owners with a job, %d without);"
                        + " delivered %,d, lost 0; unconfigured reaching a buffer: 0; start-to-all-delivered %.1f s vs %.1f s"
                        + " without the flood (indicative only: it includes job start; the benchmark measures throughput)%n",
                CONFIGURED_EVENTS, flood[0], JOBS, JOBS * FLOOD_FACTOR, floodRun.delivered(), floodSeconds, baselineSeconds);
    }
}
