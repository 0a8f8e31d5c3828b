package io.logpush.sink;

import io.logpush.sink.delivery.DeliveryPolicy;
import io.logpush.sink.delivery.JobHealth;
import io.logpush.sink.testutils.BatchSpec;
import io.logpush.sink.testutils.Batches;
import io.logpush.sink.testutils.S3ProxyServer;
import io.logpush.sink.testutils.StallingProxy;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One broken destination never stalls the others: of four jobs, one S3 bucket disappears and one
 * local directory becomes unwritable while batches flow. The two healthy jobs keep delivering, the
 * Flink job never restarts (its restart strategy is "none", so a failure would end the test), the
 * broken jobs report {@code degraded}, and after the repair their parked batches arrive exactly
 * once and in order. A destination that stays broken past the retention gets its job disabled,
 * loudly, and every one of its batches kept in the dead-letter area.
 */
class DestinationIsolationITCase {

    private static final int JOBS = 4;
    private static final int BATCHES = 800;
    private static final long S3_BROKEN = 1;
    private static final long LOCAL_BROKEN = 2;
    private static final long S3_HEALTHY = 3;
    private static final long LOCAL_HEALTHY = 4;

    /** What the sink published; static because the MiniCluster runs in this JVM. */
    static final Queue<JobHealth> HEALTH = new ConcurrentLinkedQueue<>();

    @RegisterExtension
    @Order(1)
    static final S3ProxyServer S3 = new S3ProxyServer();

    /** In front of the S3 server for one bucket only, so that it can be made to hang. */
    @RegisterExtension
    @Order(2)
    static final StallingProxy HANGING_ENDPOINT = new StallingProxy(S3::port);

    private static final String HANGING_BUCKET = "bucket-hanging";

    @RegisterExtension
    @Order(3)
    static final MiniClusterExtension MINI_CLUSTER = BatchFileSinkITCaseBase.miniCluster(DestinationIsolationITCase::s3Configuration);

    @TempDir
    static Path checkpoints;

    @TempDir
    static Path system;

    @TempDir
    static Path local;

    @BeforeAll
    static void configureS3() {
        S3.createBucket("bucket-" + S3_BROKEN);
        S3.createBucket("bucket-" + S3_HEALTHY);
        S3.createBucket(HANGING_BUCKET);
        FileSystem.initialize(s3Configuration(), null);
    }

    /** The S3 server's settings, and for one bucket an endpoint of its own (S3A's per-bucket settings). */
    private static Configuration s3Configuration() {
        Configuration conf = S3.flinkConfiguration();
        conf.setString("s3.bucket." + HANGING_BUCKET + ".endpoint", HANGING_ENDPOINT.endpoint());
        return conf;
    }

    private static String root(long job) {
        return job == S3_BROKEN || job == S3_HEALTHY ? "s3://bucket-" + job + "/logs"
                : local.toUri().toString().replaceAll("/$", "") + "/customer-" + job;
    }

    private static Map<String, String> objects(long job) throws Exception {
        if (job == S3_BROKEN || job == S3_HEALTHY) {
            return S3BatchFileSinkITCase.listObjects(root(job));
        }
        Map<String, String> objects = new HashMap<>();
        Path dir = local.resolve("customer-" + job);
        if (Files.isDirectory(dir)) {
            for (Path file : Batches.visibleObjects(dir)) {
                objects.put(file.toString(), Batches.gunzip(file));
            }
        }
        return objects;
    }

    private static Configuration jobConfiguration() {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "200 ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        return conf;
    }

    /**
     * Batches of {@code roots.size()} jobs at 40 per second, chunked and written by the sink with
     * {@code policy}; health goes to {@link #HEALTH}.
     */
    private static StreamExecutionEnvironment pipeline(int parallelism, Map<Long, String> roots, int batches, Path staging,
                                                       DeliveryPolicy policy) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration());
        env.setParallelism(parallelism);
        DataGeneratorSource<BatchSpec> source = new DataGeneratorSource<>(index -> BatchSpec.of(index, roots.size()), batches,
                RateLimiterStrategy.perSecond(40), TypeInformation.of(BatchSpec.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "batch specs")
                .keyBy(BatchSpec::job)
                .flatMap(new BatchFileSinkITCaseBase.ChunkingFunction("unused", roots, false)).uid("chunker")
                .sinkTo(BatchFileSink.builder().staging(staging.toUri().toString()).delivery(policy)
                        .health(new HealthCollector()).build())
                .uid("batch-file-sink");
        return env;
    }

    private static int count(long job) throws Exception {
        return objects(job).size();
    }

    /** The health records of {@code job}, in the order the sink published them. */
    private static List<JobHealth> history(long job) {
        return HEALTH.stream().filter(h -> h.jobId() == job).toList();
    }

    /** Each health record's {@code last_complete} is at or after the one before: batches arrived in order. */
    private static void assertInOrder(long job) {
        List<JobHealth> history = history(job);
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i - 1).lastComplete() != null) {
                assertThat(history.get(i).lastComplete()).as("job %d delivers in order", job)
                        .isAfterOrEqualTo(history.get(i - 1).lastComplete());
            }
        }
    }

    private static JobHealth latest(long job) {
        List<JobHealth> history = history(job);
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static boolean unchecked(CheckedBoolean condition) {
        try {
            return condition.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface CheckedBoolean {
        boolean get() throws Exception;
    }

    @Test
    void aBrokenBucketAndABrokenDirectoryHoldUpNobodyAndLoseNothing() throws Exception {
        HEALTH.clear();
        Map<Long, String> roots = new HashMap<>();
        for (long job = 1; job <= JOBS; job++) {
            roots.put(job, root(job));
        }
        JobClient job = pipeline(2, roots, BATCHES, system,
                DeliveryPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
                .executeAsync("destination isolation");

        await("every job's first objects", () -> unchecked(() -> {
            for (long j = 1; j <= JOBS; j++) {
                if (count(j) < 5) {
                    return false;
                }
            }
            return true;
        }));
        // Break: the bucket disappears (its directory on the server's disk moves away), the directory becomes a file.
        Path bucket = S3.dataDir().resolve("bucket-" + S3_BROKEN);
        Files.move(bucket, S3.dataDir().resolve("bucket-away"));
        Path customerDir = local.resolve("customer-" + LOCAL_BROKEN);
        Files.move(customerDir, local.resolve("customer-away"));
        Files.writeString(customerDir, "not a directory");
        int s3HealthyBefore = count(S3_HEALTHY);
        int localHealthyBefore = count(LOCAL_HEALTHY);

        await("both broken jobs degraded with parked batches, the healthy ones delivering", () -> unchecked(() -> {
            JobHealth s3 = latest(S3_BROKEN);
            JobHealth dir = latest(LOCAL_BROKEN);
            return s3 != null && dir != null && s3.state() == JobHealth.State.DEGRADED && dir.state() == JobHealth.State.DEGRADED
                    && s3.parkedBatches() >= 10 && dir.parkedBatches() >= 10
                    && count(S3_HEALTHY) >= s3HealthyBefore + 10 && count(LOCAL_HEALTHY) >= localHealthyBefore + 10;
        }));
        int s3HealthyDuring = count(S3_HEALTHY) - s3HealthyBefore;
        int localHealthyDuring = count(LOCAL_HEALTHY) - localHealthyBefore;
        JobHealth s3Degraded = latest(S3_BROKEN);
        JobHealth dirDegraded = latest(LOCAL_BROKEN);
        assertThat(s3HealthyDuring).as("the healthy S3 job kept delivering").isGreaterThanOrEqualTo(10);
        assertThat(localHealthyDuring).as("the healthy local job kept delivering").isGreaterThanOrEqualTo(10);
        assertThat(s3Degraded.errorMessage()).contains("s3://bucket-" + S3_BROKEN + "/logs/job-" + S3_BROKEN);
        assertThat(dirDegraded.errorMessage()).contains("Not a directory");

        // Repair.
        Files.delete(customerDir);
        Files.move(local.resolve("customer-away"), customerDir);
        Files.move(S3.dataDir().resolve("bucket-away"), bucket);
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

        Map<String, String> all = new HashMap<>();
        for (long j = 1; j <= JOBS; j++) {
            all.putAll(objects(j));
        }
        BatchFileSinkITCaseBase.assertExactlyOnce(all, JOBS, BATCHES);
        assertThat(Batches.visibleObjects(system)).as("nothing left in the staging area").isEmpty();
        for (long j = 1; j <= JOBS; j++) {
            assertInOrder(j);
            JobHealth last = latest(j);
            assertThat(last.state()).isEqualTo(JobHealth.State.ACTIVE);
            // The objects above are the truth; health published after the bounded input's end is only logged, so
            // the last published record may still count a batch queued behind the delivery it reports.
            assertThat(last.deliveredBatches()).isBetween(1L, (long) BATCHES / JOBS);
        }
        System.out.printf("REPORT destination isolation: %d batches of %d jobs; while a bucket and a directory were broken "
                        + "(%d and %d batches parked) the healthy jobs delivered %d and %d; after repair every record once, "
                        + "in order, no restart%n", BATCHES, JOBS, s3Degraded.parkedBatches(), dirDegraded.parkedBatches(),
                s3HealthyDuring, localHealthyDuring);
    }

    @Test
    void aDestinationBrokenPastTheRetentionGetsItsJobDisabledLoudlyAndEveryBatchKept(@TempDir Path stagingRoot) throws Exception {
        HEALTH.clear();
        int batches = 200;
        Path broken = local.resolve("retention-customer-1");
        Files.writeString(broken, "a file where the directory should be");
        Path healthy = local.resolve("retention-customer-2");
        Path staging = stagingRoot.resolve("retention");
        Map<Long, String> roots = Map.of(1L, broken.toUri().toString(), 2L, healthy.toUri().toString());
        DeliveryPolicy policy = DeliveryPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofMillis(500))
                .withRetention(Duration.ofSeconds(1));
        pipeline(2, roots, batches, staging, policy).execute("retention");

        JobHealth disabled = history(1).stream().filter(h -> h.state() == JobHealth.State.DISABLED).reduce((a, b) -> b).orElse(null);
        assertThat(disabled).as("the broken job was disabled, with a health record").isNotNull();
        assertThat(disabled.errorMessage()).startsWith("disabled: no successful delivery for PT1S")
                .contains("/retention/dead-letter/1;");
        assertThat(disabled.deliveredBatches()).isZero();
        assertThat(latest(1).state()).as("it stays disabled").isEqualTo(JobHealth.State.DISABLED);
        assertThat(latest(2).state()).isEqualTo(JobHealth.State.ACTIVE);

        // Every batch exactly once: the healthy job's in its destination, the disabled job's in the dead-letter area.
        Map<String, String> all = new HashMap<>();
        for (Path file : Batches.visibleObjects(healthy)) {
            all.put(file.toString(), Batches.gunzip(file));
        }
        List<Path> deadLetters = Batches.visibleObjects(staging.resolve("dead-letter").resolve("1"));
        for (Path file : deadLetters) {
            // <seq>-<object name>: keyed here by the job's path and object name, as in a destination.
            String name = file.getFileName().toString();
            all.put("dead-letter/job-1/" + name.substring(name.indexOf('-') + 1), Batches.gunzip(file));
        }
        assertThat(deadLetters).as("the disabled job's batches").hasSize(batches / 2);
        BatchFileSinkITCaseBase.assertExactlyOnce(all, 2, batches);
        assertThat(Files.readString(broken)).as("the broken destination was never written").startsWith("a file");
        System.out.printf("REPORT retention: job 1's destination broken from the start, retention 1 s: disabled with "
                + "\"%s\"; its %d batches in the dead-letter area, the other job's %d delivered; every record once%n",
                disabled.errorMessage(), deadLetters.size(), all.size() - deadLetters.size());
    }

    @Test
    void anEndpointThatHangsHoldsUpOnlyItsOwnJob(@TempDir Path staging) throws Exception {
        HEALTH.clear();
        int batches = 600;
        long hanging = 1;
        long healthy = 2;
        Path healthyDir = local.resolve("hang-customer-2");
        Map<Long, String> roots = Map.of(hanging, "s3://" + HANGING_BUCKET + "/logs", healthy, healthyDir.toUri().toString());
        // One subtask: both jobs share the delivery step, which a synchronous delivery would block.
        JobClient job = pipeline(1, roots, batches, staging,
                DeliveryPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)).withAttempts(Duration.ofSeconds(2), 4))
                .executeAsync("hanging endpoint");

        await("the first objects of both jobs", () -> unchecked(() ->
                S3BatchFileSinkITCase.listObjects(roots.get(hanging)).size() >= 5 && Batches.visibleObjects(healthyDir).size() >= 5));
        HANGING_ENDPOINT.stall();
        int healthyBefore = Batches.visibleObjects(healthyDir).size();
        await("the hanging job degraded, the healthy one delivering", () -> unchecked(() -> {
            JobHealth h = latest(hanging);
            return h != null && h.state() == JobHealth.State.DEGRADED && h.parkedBatches() >= 5
                    && Batches.visibleObjects(healthyDir).size() >= healthyBefore + 40;
        }));
        JobHealth degraded = latest(hanging);
        int healthyDuring = Batches.visibleObjects(healthyDir).size() - healthyBefore;
        assertThat(degraded.errorMessage()).startsWith("delivery to s3://" + HANGING_BUCKET + "/logs/job-1/")
                .contains("failed: no answer within 2000 ms");
        HANGING_ENDPOINT.release();
        await("the hanging job delivering again", () -> history(hanging).stream()
                .anyMatch(h -> h.deliveredBatches() > degraded.deliveredBatches()));
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

        Map<String, String> all = new HashMap<>(S3BatchFileSinkITCase.listObjects(roots.get(hanging)));
        for (Path file : Batches.visibleObjects(healthyDir)) {
            all.put(file.toString(), Batches.gunzip(file));
        }
        BatchFileSinkITCaseBase.assertExactlyOnce(all, 2, batches);
        assertThat(Batches.visibleObjects(staging)).as("nothing left in the staging area").isEmpty();
        assertInOrder(hanging);
        System.out.printf("REPORT hanging endpoint: %d batches of 2 jobs on one subtask; while one job's S3 endpoint hung "
                        + "(%d batches parked, \"%s\") the other delivered %d; after the endpoint answered again every record "
                        + "once, in order, no restart%n", batches, degraded.parkedBatches(), degraded.errorMessage(), healthyDuring);
    }

    /** Collects the health records into {@link #HEALTH}. */
    static final class HealthCollector implements Sink<JobHealth> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<JobHealth> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(JobHealth element, Context ctx) {
                    HEALTH.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
