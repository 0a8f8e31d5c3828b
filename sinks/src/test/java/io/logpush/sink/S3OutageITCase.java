package io.logpush.sink;

import io.logpush.sink.delivery.DeliveryPolicy;
import io.logpush.sink.testutils.BatchSpec;
import io.logpush.sink.testutils.S3ProxyServer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 server that holds the destinations goes away mid-run and comes back: deliveries fail
 * meanwhile and the batches are parked in the (local) staging area, the job never restarts, and
 * once S3 answers again every record is delivered exactly once.
 */
class S3OutageITCase {

    /** How long S3 is down; the 60 s, shortened for CI (set -Ds3.outage.seconds=60 for the full run). */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("s3.outage.seconds", 10));
    private static final String ROOT = "s3://outage-test/logs";

    @RegisterExtension
    @Order(1)
    static final S3ProxyServer S3 = new S3ProxyServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = BatchFileSinkITCaseBase.miniCluster(S3::flinkConfiguration);

    @TempDir
    static Path checkpoints;

    @TempDir
    static Path system;

    @BeforeAll
    static void configureS3() {
        S3.createBucket("outage-test");
        FileSystem.initialize(S3.flinkConfiguration(), null);
    }

    @Test
    void anS3OutageDelaysDeliveryButLosesAndDuplicatesNothing() throws Exception {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "200 ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        // A destination outage must not restart the job.
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        // The input outlasts the outage: batches still parked when a bounded input ends stay staged, undelivered.
        double perSecond = BatchFileSinkITCaseBase.BATCHES / (OUTAGE.toSeconds() + 12.0);
        DataGeneratorSource<BatchSpec> source = new DataGeneratorSource<>(index -> BatchSpec.of(index, BatchFileSinkITCaseBase.JOBS),
                BatchFileSinkITCaseBase.BATCHES, RateLimiterStrategy.perSecond(perSecond), TypeInformation.of(BatchSpec.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "batch specs")
                .keyBy(BatchSpec::job)
                .flatMap(new BatchFileSinkITCaseBase.ChunkingFunction(ROOT, false)).uid("chunker")
                .sinkTo(BatchFileSink.builder().staging(system.toUri().toString())
                        .delivery(DeliveryPolicy.DEFAULT.withBackoff(Duration.ofMillis(500), Duration.ofSeconds(2))).build())
                .uid("batch-file-sink");
        JobClient job = env.executeAsync("s3 outage");

        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (S3BatchFileSinkITCase.listObjects(ROOT).size() < 20) {
            assertThat(System.nanoTime()).as("first committed objects").isLessThan(deadline);
            Thread.sleep(200);
        }
        int beforeOutage = S3BatchFileSinkITCase.listObjects(ROOT).size();
        S3.stop();
        // The wait is the fault itself: S3 stays away this long while the job keeps trying.
        Thread.sleep(OUTAGE.toMillis());
        S3.start();

        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        var objects = S3BatchFileSinkITCase.listObjects(ROOT);
        BatchFileSinkITCaseBase.assertExactlyOnce(objects);
        assertThat(io.logpush.sink.testutils.Batches.visibleObjects(system)).as("nothing left in staging").isEmpty();
        System.out.printf("REPORT s3 outage: S3 down %d s after %d of %d objects; no restart; afterwards all %d objects, every record once%n",
                OUTAGE.toSeconds(), beforeOutage, BatchFileSinkITCaseBase.BATCHES, objects.size());
    }
}
