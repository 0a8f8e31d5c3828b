package io.logpush.job;

import io.logpush.config.testutils.EmbeddedKafka;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatusCodec;
import io.logpush.config.topic.TopicReader;
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
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay of 2024-11-14, step three: 40× the usual number of jobs at once (Cloudflare's buffer tier
 * collapsed under 40× its buffers; its safeguard existed but was not configured). Here the
 * deployment's capacity is configured: jobs beyond it are refused loudly (status record with the
 * reason, {@code configRejected}), the job stays up, checkpoints keep completing, and every
 * accepted job receives all its events.
 */
class JobSurgeITCase {

    private static final int USUAL_JOBS = 20;
    private static final int SURGE_JOBS = 40 * USUAL_JOBS;
    private static final int CAPACITY = 600;
    private static final int EVENTS_PER_JOB = 5;
    private static final ReportedMetrics METRICS = new ReportedMetrics();

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = METRICS.miniCluster();

    @TempDir
    Path output;

    @TempDir
    Path checkpoints;

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private void configure(PipelineRun run, AckedProducer producer, int from, int to) {
        for (int job = from; job <= to; job++) {
            producer.send(ConfigRecordCodec.upsert(run.configTopic(), job, JobConfigs.json(job, "zone-" + job,
                    run.destination(job), true, "\"max_upload_records\":1000,\"max_upload_interval_seconds\":1")));
        }
        producer.flush();
    }

    private void produceForJobs(PipelineRun run, AckedProducer producer, int jobs, String phase) {
        for (int e = 0; e < EVENTS_PER_JOB; e++) {
            for (int job = 1; job <= jobs; job++) {
                producer.send(run.event("zone-" + job, "http_requests", phase + job + "-" + e, System.currentTimeMillis()));
            }
        }
        producer.flush();
    }

    @Test
    void fortyTimesTheJobsAtOnceAreTakenUpToCapacityAndRefusedLoudlyBeyond() throws Exception {
        PipelineRun run = new PipelineRun(KAFKA, output, checkpoints);
        JobClient client;
        try (AckedProducer producer = run.producer()) {
            configure(run, producer, 1, USUAL_JOBS);
            produceForJobs(run, producer, USUAL_JOBS, "before-");
            client = run.start("job-surge", JobConfigs.POLICY.withMaxEnabledJobs(CAPACITY));
            JobID job = client.getJobID();
            run.awaitDelivered(n -> n >= USUAL_JOBS * EVENTS_PER_JOB, "the usual jobs' events", Duration.ofSeconds(120));
            long heapBefore = usedHeap();

            configure(run, producer, USUAL_JOBS + 1, SURGE_JOBS);
            // Every router instance knows the accepted jobs before their events are produced.
            await("the routers to know " + CAPACITY + " jobs", () -> METRICS.allEqual(job, "activeJobs", CAPACITY));
            // ... and every prefilter their owners (every config counts, refused ones included).
            await("the prefilters to know " + SURGE_JOBS + " owners", () -> METRICS.allEqual(job, "configuredOwners", SURGE_JOBS));
            long checkpointsAtSurge = METRICS.sum(job, "numberOfCompletedCheckpoints");
            produceForJobs(run, producer, SURGE_JOBS, "surge-");
            long expected = (long) USUAL_JOBS * EVENTS_PER_JOB + (long) CAPACITY * EVENTS_PER_JOB;
            run.awaitDelivered(n -> n >= expected, "every accepted job's events", Duration.ofSeconds(120));
            await("checkpoints completing after the surge", () -> METRICS.sum(job, "numberOfCompletedCheckpoints") >= checkpointsAtSurge + 3);

            assertThat(run.delivered()).as("accepted jobs get all their events; refused ones none").isEqualTo(expected);
            assertThat(METRICS.sum(job, "configRejected")).as("the excess refused, counted").isEqualTo(SURGE_JOBS - CAPACITY);
            AtomicLong refusedWithReason = new AtomicLong();
            TopicReader.readToEnd(KAFKA.clientProperties(), run.statusTopic(), Duration.ofSeconds(30), record -> {
                if (record.value() != null && ConfigStatusCodec.decode(record.key(), record.value()) instanceof ConfigStatus.JobStatus s
                        && s.state() == ConfigStatus.State.REJECTED
                        && s.errors().get(0).message().startsWith("this deployment runs at most " + CAPACITY + " enabled jobs")) {
                    refusedWithReason.incrementAndGet();
                }
            });
            assertThat(refusedWithReason.get()).as("each refusal on the status topic with its reason").isEqualTo(SURGE_JOBS - CAPACITY);
            assertThat(client.getJobStatus().get().isGloballyTerminalState()).as("the job stays up").isFalse();
            System.out.printf("REPORT 40x jobs: %d usual jobs, %d configured at once, capacity %d: %d accepted, %d refused"
                            + " loudly; %,d events delivered of %,d for accepted jobs, lost 0; %d more checkpoints completed;"
                            + " test JVM heap used %d MiB before, %d MiB after (indicative)%n",
                    USUAL_JOBS, SURGE_JOBS, CAPACITY, CAPACITY, SURGE_JOBS - CAPACITY, run.delivered(), expected,
                    METRICS.sum(job, "numberOfCompletedCheckpoints") - checkpointsAtSurge, heapBefore, usedHeap());
        }
        run.cancel();
    }

    /** Heap in use after a collection (indicative: the broker and the MiniCluster share this JVM). */
    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) >> 20;
    }
}
