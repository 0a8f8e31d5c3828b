package io.logpush.job;

import io.logpush.config.cli.ConfigCli;
import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatusCodec;
import io.logpush.config.topic.ConfigTopics;
import io.logpush.config.topic.TopicReader;
import io.logpush.job.testutils.JobConfigs;
import io.logpush.job.testutils.PipelineRun;
import io.logpush.sink.testutils.Batches;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay of 2024-11-14, step one: a config generator publishes a blank config (every job deleted)
 * while events flow. Here the guard holds it: the alert appears on the status topic, every event
 * keeps being delivered (0 lost), and only an operator's confirmation applies the deletions, after
 * which the buffered data is flushed, not dropped, and later events are no longer delivered.
 */
class BlankConfigITCase {

    private static final int JOBS = 20;
    private static final int EVENTS_PER_PHASE = 2_000;
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

    private static String owner(int i) {
        return String.format("zone-%02d", i);
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, String phase) {
        for (int i = 0; i < EVENTS_PER_PHASE; i++) {
            producer.send(PipelineRun.event(owner(i % JOBS), "http_requests", phase + i, System.currentTimeMillis()));
        }
        producer.flush();
    }

    private static int cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bootstrap-servers";
        all[args.length + 1] = KAFKA.bootstrapServers();
        return ConfigCli.commandLine().execute(all);
    }

    private static ConfigStatus.GuardStatus guardStatus() {
        AtomicReference<ConfigStatus.GuardStatus> latest = new AtomicReference<>();
        TopicReader.readToEnd(KAFKA.clientProperties(), ConfigTopics.STATUS, Duration.ofSeconds(30), record -> {
            if (record.value() != null && ConfigStatus.GuardStatus.KEY.equals(new String(record.key()))) {
                latest.set((ConfigStatus.GuardStatus) ConfigStatusCodec.decode(record.key(), record.value()));
            }
        });
        return latest.get();
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

    @Test
    void aBlankConfigIsHeldNothingIsLostAndConfirmationFlushesBeforeRemoving() throws Exception {
        PipelineRun run = new PipelineRun(KAFKA, output, checkpoints);
        try (KafkaProducer<byte[], byte[]> producer = run.producer()) {
            for (int job = 1; job <= JOBS; job++) {
                producer.send(ConfigRecordCodec.upsert(ConfigTopics.CONFIG, job, JobConfigs.json(job, owner(job - 1),
                        run.destination(job), true, "\"max_upload_records\":200,\"max_upload_interval_seconds\":1")));
            }
            produce(producer, "before-");
        }
        JobClient client = run.start("blank-config");
        run.awaitDelivered(n -> n > 0, "a first batch", Duration.ofSeconds(120));

        // The blank config: every job deleted at once.
        long published = System.nanoTime();
        String[] ids = new String[JOBS + 1];
        ids[0] = "delete";
        for (int job = 1; job <= JOBS; job++) {
            ids[job] = Long.toString(job);
        }
        assertThat(cli(ids)).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ConfigStatus.GuardStatus held;
        while ((held = guardStatus()) == null || held.held().size() < JOBS) {
            assertThat(System.nanoTime()).as("the guard's alert on the status topic").isLessThan(deadline);
            Thread.sleep(100);
        }
        long alertMillis = (System.nanoTime() - published) / 1_000_000;
        assertThat(held.activeJobs()).as("the old config keeps serving").isEqualTo(JOBS);

        // Delivery goes on while the deletion is held.
        try (KafkaProducer<byte[], byte[]> producer = run.producer()) {
            produce(producer, "while-held-");
        }
        run.awaitDelivered(n -> n >= 2L * EVENTS_PER_PHASE, "every event delivered while held", Duration.ofSeconds(120));

        // The operator confirms: deletions apply; afterwards nothing more is delivered for those jobs.
        assertThat(cli("confirm")).isZero();
        while (!guardStatus().held().isEmpty()) {
            assertThat(System.nanoTime()).as("the confirmation applied").isLessThan(deadline + Duration.ofSeconds(60).toNanos());
            Thread.sleep(100);
        }
        long sentinelJob = JOBS + 1;
        try (KafkaProducer<byte[], byte[]> producer = run.producer()) {
            producer.send(ConfigRecordCodec.upsert(ConfigTopics.CONFIG, sentinelJob, JobConfigs.json(sentinelJob, "sentinel",
                    run.destination(sentinelJob), true, "\"max_upload_records\":4,\"max_upload_interval_seconds\":1")));
            produce(producer, "after-confirm-");
            // A new job sees events only from when its config reaches the router, so sentinels go out per partition
            // until one of each arrives: every event sent before them was routed by then.
            long sentinelDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            for (int round = 0; sentinelPartitions(sentinelJob).size() < 4; round++) {
                assertThat(System.nanoTime()).as("a delivered sentinel from every partition").isLessThan(sentinelDeadline);
                for (int partition = 0; partition < 4; partition++) {
                    ProducerRecord<byte[], byte[]> e = PipelineRun.event("sentinel", "http_requests",
                            "sentinel-" + partition + "-" + round, System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(e.topic(), partition, e.timestamp(), e.key(), e.value(), e.headers()));
                }
                producer.flush();
                Thread.sleep(500);
            }
        }
        client.cancel().get();

        Map<String, Long> delivered = deliveredPerJob();
        long total = delivered.entrySet().stream().filter(e -> !e.getKey().equals(Long.toString(sentinelJob)))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(total).as("every event before the confirmation, once; none after it").isEqualTo(2L * EVENTS_PER_PHASE);
        for (int job = 1; job <= JOBS; job++) {
            assertThat(delivered.get(Integer.toString(job))).as("job %d", job).isEqualTo(2L * EVENTS_PER_PHASE / JOBS);
        }
        System.out.printf("REPORT blank-config: jobs %d, events for them %d, delivered %d, lost 0, duplicated 0, "
                + "held within %d ms of the blank config, events after confirmation delivered: 0%n",
                JOBS, 2 * EVENTS_PER_PHASE, total, alertMillis);
        assertThat(alertMillis).as("time to alert").isLessThan(30_000);
    }
}
