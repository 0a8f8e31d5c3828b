package io.logpush.job.testutils;

import io.logpush.config.Dataset;
import io.logpush.config.broadcast.KafkaConfigBootstrap;
import io.logpush.config.testutils.TestKafka;
import io.logpush.config.topic.ConfigTopics;
import io.logpush.job.LogpushPipeline;
import io.logpush.job.PipelineSettings;
import io.logpush.job.functions.HotJobs;
import io.logpush.job.kafka.LogpushKafka;
import io.logpush.sink.BatchFileSink;
import io.logpush.sink.testutils.Batches;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One pipeline run for an ITCase: real Kafka topics, the pipeline on the test's MiniCluster with
 * RocksDB and 500 ms checkpoints, batches to a local folder, and helpers to produce and to wait
 * for deliveries.
 */
public final class PipelineRun {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final TestKafka kafka;
    private final Path output;
    private final Path checkpoints;
    private final String prefix;
    private JobClient client;
    private int hotJobRate = HotJobs.DEFAULT_RECORDS_PER_SECOND;
    /** Null: every event names its dataset in a header. */
    private Dataset topicDataset;

    /** A run with its own topics (so runs can share a broker): {@code <n>-events}, {@code <n>-logpush-config}, ... */
    public PipelineRun(TestKafka kafka, Path output, Path checkpoints) throws Exception {
        this.kafka = kafka;
        this.output = output;
        this.checkpoints = checkpoints;
        this.prefix = "run" + RUNS.incrementAndGet() + "-";
        kafka.createTopic(eventsTopic(), 4);
        kafka.createTopic(dlqTopic(), 1);
        try (Admin admin = kafka.admin()) {
            ConfigTopics.createCompactedIfMissing(admin, configTopic(), (short) 1);
            ConfigTopics.createCompactedIfMissing(admin, statusTopic(), (short) 1);
            ConfigTopics.createCompactedIfMissing(admin, healthTopic(), (short) 1);
        }
    }

    public String eventsTopic() {
        return prefix + "events";
    }

    public String dlqTopic() {
        return prefix + "dlq";
    }

    public String configTopic() {
        return prefix + ConfigTopics.CONFIG;
    }

    public String statusTopic() {
        return prefix + ConfigTopics.STATUS;
    }

    public String healthTopic() {
        return prefix + ConfigTopics.HEALTH;
    }

    /** The destination folder URI for a job, with {@code {DATE}}. */
    public String destination(long jobId) {
        return output.toUri().toString().replaceAll("/$", "") + "/job-" + jobId + "/{DATE}";
    }

    /** A producer whose {@code close()} fails unless every record it sent was acknowledged. */
    public AckedProducer producer() {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // One request in flight: a batch refused right after a broker restart (NOT_LEADER) then cannot leave the
        // idempotent producer retrying the batches behind it with OUT_OF_ORDER_SEQUENCE_NUMBER until they expire.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        return new AckedProducer(new KafkaProducer<>(props));
    }

    /** An event of {@code owner} and {@code dataset} whose RayID is {@code id}, for this run's events topic. */
    public ProducerRecord<byte[], byte[]> event(String owner, String dataset, String id, long timestamp) {
        String json = "{\"RayID\":\"" + id + "\",\"ClientRequestHost\":\"" + owner + "\",\"EdgeResponseStatus\":200}";
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(eventsTopic(), null, timestamp,
                owner.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
        record.headers().add("dataset", dataset.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Makes the events topic one dataset's: an event without a dataset header is of {@code dataset}. */
    public PipelineRun topicDataset(Dataset dataset) {
        this.topicDataset = dataset;
        return this;
    }

    /** Sets the rate of a job's records per router instance above which the run spreads it over lanes. */
    public PipelineRun hotJobRate(int recordsPerSecond) {
        this.hotJobRate = recordsPerSecond;
        return this;
    }

    public JobClient start(String name) throws Exception {
        return start(name, JobConfigs.POLICY);
    }

    public JobClient start(String name, io.logpush.config.DeploymentPolicy policy) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "500 ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        // A checkpoint stuck behind a broker outage must not hold back commits for Flink's default 10 minutes.
        conf.setString("execution.checkpointing.timeout", "30 s");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "100");
        conf.setString("restart-strategy.fixed-delay.delay", "200 ms");
        conf.setString("pipeline.generic-types", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        Properties props = kafka.clientProperties();
        PipelineSettings settings = PipelineSettings.defaults(new KafkaConfigBootstrap(props, configTopic(), Duration.ofSeconds(60)))
                .withPolicy(policy).withHotJobs(0, hotJobRate);
        LogpushPipeline.build(env, LogpushKafka.events(props, eventsTopic(), topicDataset, name),
                LogpushKafka.configs(props, configTopic(), name),
                BatchFileSink.builder().staging(checkpoints.resolve("staging").toUri().toString())
                        .health(LogpushKafka.health(props, healthTopic())).build(),
                LogpushKafka.deadLetters(props, dlqTopic(), name),
                LogpushKafka.configStatus(props, statusTopic()), settings);
        client = env.executeAsync(name);
        return client;
    }

    /**
     * Cancels the job and waits until it has stopped: its tasks may still be writing (staging
     * objects, checkpoints) for a moment after the cancel request is acknowledged.
     */
    public void cancel() throws Exception {
        client.cancel().get();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!client.getJobStatus().get().isGloballyTerminalState()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not stop within 60 s of its cancellation");
            }
            Thread.sleep(50);
        }
    }

    /** Waits until every partition of the events topic has a leader again (after a broker restart). */
    public void awaitEventsTopicLeaders(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = kafka.admin()) {
            while (true) {
                try {
                    var description = admin.describeTopics(List.of(eventsTopic())).allTopicNames().get().get(eventsTopic());
                    if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // Not ready yet: the broker is still loading its logs.
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the events topic has no leader for every partition after " + timeout);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Records in all visible objects so far. */
    public long delivered() throws Exception {
        long count = 0;
        for (Path object : Batches.visibleObjects(output)) {
            count += Batches.gunzip(object).split("\n").length;
        }
        return count;
    }

    /**
     * Waits until the delivered count satisfies {@code done}; fails at once if the job ended, and
     * at the deadline with what the job and the events topic hold, to tell a stuck job from input
     * that never arrived.
     */
    public void awaitDelivered(LongPredicate done, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long count = delivered();
            if (done.test(count)) {
                return;
            }
            JobStatus status = client == null ? null : client.getJobStatus().get();
            if (status != null && status.isGloballyTerminalState()) {
                throw new AssertionError("the job ended (" + status + ") while waiting for " + what + "; delivered " + count,
                        client.getJobExecutionResult().handle((result, failure) -> failure).get());
            }
            assertThat(System.nanoTime())
                    .as("waiting for %s; delivered %d; job %s; events topic holds %d", what, count, status, eventsInTopic())
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The committed records of a one-partition topic of this run (dead letters, health), from its start to its current end. */
    public List<ConsumerRecord<byte[], byte[]>> committedRecords(String topic) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** How many records the events topic holds (the sum of its partitions' end offsets). */
    public long eventsInTopic() throws Exception {
        try (Admin admin = kafka.admin()) {
            int partitions = admin.describeTopics(List.of(eventsTopic())).allTopicNames().get().get(eventsTopic()).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(eventsTopic(), p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
        }
    }
}
