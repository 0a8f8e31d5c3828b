package io.logpush.job;

import io.logpush.config.cli.ConfigCli;
import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatusCodec;
import io.logpush.config.topic.TopicReader;
import io.logpush.job.testutils.AckedProducer;
import io.logpush.job.testutils.JobConfigs;
import io.logpush.job.testutils.PipelineRun;
import io.logpush.sink.testutils.Batches;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay of 2024-11-14, step one: a config generator publishes a blank config (every job deleted),
 * or removes 30% of the jobs at once, while events flow. The guard holds it: the alert appears on
 * the status topic, every event keeps being delivered (0 lost), and only an operator's confirmation
 * applies the deletions, after which the buffered data is flushed, not dropped, and later events
 * reach only the jobs that remain.
 */
class MassRemovalITCase {

    private static final int JOBS = 20;
    private static final int EVENTS_PER_PHASE = 2_000;
    private static final long PER_JOB_PER_PHASE = EVENTS_PER_PHASE / JOBS;
    private static final Pattern JOB_DIR = Pattern.compile("/job-(\\d+)/");

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path output;

    @TempDir
    Path checkpoints;

    private PipelineRun run;

    private static String owner(int i) {
        return String.format("zone-%02d", i);
    }

    private void produce(AckedProducer producer, String phase) {
        for (int i = 0; i < EVENTS_PER_PHASE; i++) {
            producer.send(run.event(owner(i % JOBS), "http_requests", phase + i, System.currentTimeMillis()));
        }
        producer.flush();
    }

    private int cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--config-topic", run.configTopic(),
                "--status-topic", run.statusTopic()));
        return ConfigCli.commandLine().execute(all.toArray(String[]::new));
    }

    private ConfigStatus.GuardStatus guardStatus() {
        AtomicReference<ConfigStatus.GuardStatus> latest = new AtomicReference<>();
        TopicReader.readToEnd(KAFKA.clientProperties(), run.statusTopic(), Duration.ofSeconds(30), record -> {
            if (record.value() != null && ConfigStatus.GuardStatus.KEY.equals(new String(record.key()))) {
                latest.set((ConfigStatus.GuardStatus) ConfigStatusCodec.decode(record.key(), record.value()));
            }
        });
        return latest.get();
    }

    /** Delivered records per job folder. */
    private Map<String, Long> deliveredPerJob() throws Exception {
        Map<String, Long> delivered = new HashMap<>();
        for (Path object : Batches.visibleObjects(output)) {
            Matcher job = JOB_DIR.matcher(object.toString());
            assertThat(job.find()).isTrue();
            delivered.merge(job.group(1), (long) Batches.gunzip(object).split("\n").length, Long::sum);
        }
        return delivered;
    }

    /** The partitions whose sentinel events have been delivered to the sentinel job. */
    private Set<String> sentinelPartitions(long sentinelJob) throws Exception {
        Set<String> partitions = new HashSet<>();
        for (Path object : Batches.visibleObjects(output)) {
            if (object.toString().contains("/job-" + sentinelJob + "/")) {
                Matcher sentinel = Pattern.compile("sentinel-(\\d)-").matcher(Batches.gunzip(object));
                while (sentinel.find()) {
                    partitions.add(sentinel.group(1));
                }
            }
        }
        return partitions;
    }

    private static void await(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @ParameterizedTest(name = "{0} of 20 jobs removed at once")
    @ValueSource(ints = {JOBS, 6})
    void aMassRemovalIsHeldNothingIsLostAndConfirmationFlushesBeforeRemoving(int removed) throws Exception {
        run = new PipelineRun(KAFKA, output, checkpoints);
        try (AckedProducer producer = run.producer()) {
            for (int job = 1; job <= JOBS; job++) {
                producer.send(ConfigRecordCodec.upsert(run.configTopic(), job, JobConfigs.json(job, owner(job - 1),
                        run.destination(job), true, "\"max_upload_records\":200,\"max_upload_interval_seconds\":1")));
            }
            produce(producer, "before-");
        }
        JobClient client = run.start("mass-removal-" + removed);
        run.awaitDelivered(n -> n > 0, "a first batch", Duration.ofSeconds(120));

        // The faulty generator: jobs 1..removed deleted at once.
        long published = System.nanoTime();
        List<String> delete = new ArrayList<>(List.of("delete"));
        for (int job = 1; job <= removed; job++) {
            delete.add(Integer.toString(job));
        }
        assertThat(cli(delete.toArray(String[]::new))).isZero();
        await("the guard's alert on the status topic", Duration.ofSeconds(60), () -> {
            ConfigStatus.GuardStatus status = guardStatus();
            return status != null && status.held().size() == removed;
        });
        long alertMillis = (System.nanoTime() - published) / 1_000_000;
        assertThat(guardStatus().activeJobs()).as("the old config keeps serving").isEqualTo(JOBS);

        // Delivery goes on, for every job, while the removal is held.
        try (AckedProducer producer = run.producer()) {
            produce(producer, "while-held-");
        }
        run.awaitDelivered(n -> n >= 2L * EVENTS_PER_PHASE, "every event delivered while held", Duration.ofSeconds(120));

        // The operator confirms: the removals apply; afterwards only the remaining jobs receive events.
        assertThat(cli("confirm")).isZero();
        await("the confirmation applied", Duration.ofSeconds(60), () -> guardStatus().held().isEmpty());
        long sentinelJob = JOBS + 1;
        try (AckedProducer producer = run.producer()) {
            producer.send(ConfigRecordCodec.upsert(run.configTopic(), sentinelJob, JobConfigs.json(sentinelJob, "sentinel",
                    run.destination(sentinelJob), true, "\"max_upload_records\":4,\"max_upload_interval_seconds\":1")));
            produce(producer, "after-confirm-");
            // A new job sees events only from when its config reaches the router, so sentinels go out per partition
            // until one of each arrives: every event sent before them was routed by then.
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            for (int round = 0; sentinelPartitions(sentinelJob).size() < 4; round++) {
                assertThat(System.nanoTime()).as("a delivered sentinel from every partition").isLessThan(deadline);
                for (int partition = 0; partition < 4; partition++) {
                    ProducerRecord<byte[], byte[]> e = run.event("sentinel", "http_requests", "sentinel-" + partition + "-" + round,
                            System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(e.topic(), partition, e.timestamp(), e.key(), e.value(), e.headers()));
                }
                producer.flush();
                Thread.sleep(500);
            }
        }
        long remainingExpected = (JOBS - removed) * 3 * PER_JOB_PER_PHASE;
        run.awaitDelivered(n -> n >= removed * 2 * PER_JOB_PER_PHASE + remainingExpected + 4,
                "the remaining jobs' events", Duration.ofSeconds(120));
        run.cancel();

        Map<String, Long> delivered = deliveredPerJob();
        for (int job = 1; job <= JOBS; job++) {
            long phases = job <= removed ? 2 : 3;
            assertThat(delivered.get(Integer.toString(job))).as("job %d: every event before its removal, once; none after", job)
                    .isEqualTo(phases * PER_JOB_PER_PHASE);
        }
        System.out.printf("REPORT mass-removal %d/%d: events for the jobs while they were in force %d, delivered %d, lost 0,"
                        + " duplicated 0, held within %d ms; events delivered to removed jobs after confirmation: 0%n",
                removed, JOBS, removed * 2 * PER_JOB_PER_PHASE + remainingExpected,
                delivered.entrySet().stream().filter(e -> !e.getKey().equals(Long.toString(sentinelJob))).mapToLong(Map.Entry::getValue).sum(),
                alertMillis);
        assertThat(alertMillis).as("time to alert").isLessThan(30_000);
    }
}
