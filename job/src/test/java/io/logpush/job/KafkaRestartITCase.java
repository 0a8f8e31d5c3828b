package io.logpush.job;

import io.logpush.config.testutils.KafkaBrokerProcess;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.job.testutils.AckedProducer;
import io.logpush.job.testutils.JobConfigs;
import io.logpush.job.testutils.PipelineRun;
import io.logpush.sink.testutils.Batches;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka broker is restarted mid-run (a controlled shutdown, down for a few seconds, back on
 * the same port with the same data): the job rides it out and every event of every job is
 * delivered exactly once.
 */
class KafkaRestartITCase {

    private static final int JOBS = 20;
    private static final int EVENTS_PER_PHASE = 2_000;
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Pattern JOB_DIR = Pattern.compile("/job-(\\d+)/");
    private static final Pattern RAY_ID = Pattern.compile("\"RayID\":\"([^\"]+)\"");

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerProcess KAFKA = new KafkaBrokerProcess();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path output;

    @TempDir
    Path checkpoints;

    private static void produce(PipelineRun run, String phase) {
        try (AckedProducer producer = run.producer()) {
            for (int i = 0; i < EVENTS_PER_PHASE; i++) {
                producer.send(run.event("zone-" + (i % JOBS), "http_requests", phase + i, System.currentTimeMillis()));
            }
        }
    }

    @Test
    void aBrokerRestartMidRunLosesAndDuplicatesNothing() throws Exception {
        PipelineRun run = new PipelineRun(KAFKA, output, checkpoints);
        try (AckedProducer producer = run.producer()) {
            for (int job = 1; job <= JOBS; job++) {
                producer.send(ConfigRecordCodec.upsert(run.configTopic(), job, JobConfigs.json(job, "zone-" + (job - 1),
                        run.destination(job), true, "\"max_upload_records\":50,\"max_upload_interval_seconds\":1")));
            }
        }
        produce(run, "before-");
        JobClient client = run.start("kafka-restart");
        run.awaitDelivered(n -> n > 0, "a first batch", Duration.ofSeconds(120));
        produce(run, "in-flight-");
        long deliveredBefore = run.delivered();

        // Down while the second phase is being consumed and batched.
        KAFKA.stop();
        // The wait is the fault itself: the broker stays away this long.
        Thread.sleep(OUTAGE.toMillis());
        KAFKA.start();
        run.awaitEventsTopicLeaders(Duration.ofSeconds(60));
        produce(run, "after-");
        run.awaitDelivered(n -> n >= 3L * EVENTS_PER_PHASE, "every event after the restart", Duration.ofSeconds(180));
        run.cancel();

        Map<String, Set<String>> events = new HashMap<>();
        Map<String, Long> records = new HashMap<>();
        for (Path object : Batches.visibleObjects(output)) {
            Matcher job = JOB_DIR.matcher(object.toString());
            assertThat(job.find()).isTrue();
            Matcher rayIds = RAY_ID.matcher(Batches.gunzip(object));
            while (rayIds.find()) {
                events.computeIfAbsent(job.group(1), j -> new HashSet<>()).add(rayIds.group(1));
                records.merge(job.group(1), 1L, Long::sum);
            }
        }
        for (int job = 1; job <= JOBS; job++) {
            String id = Integer.toString(job);
            assertThat(records.get(id)).as("job %d: every event once", job).isEqualTo(3L * EVENTS_PER_PHASE / JOBS);
            assertThat(events.get(id)).as("job %d: no duplicates", job).hasSize(3 * EVENTS_PER_PHASE / JOBS);
        }
        System.out.printf("REPORT kafka restart: broker down %d s after %,d of %,d events were delivered;"
                        + " afterwards %,d delivered, lost 0, duplicated 0%n",
                OUTAGE.toSeconds(), deliveredBefore, 3 * EVENTS_PER_PHASE, run.delivered());
    }
}
