package io.logpush.bench;

import io.logpush.config.Dataset;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigTopics;
import io.logpush.job.generator.HttpRequestsGenerator;
import io.logpush.job.kafka.RawEventDeserializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;

/**
 * Creates a workload's topics and fills them: the jobs on the config topic, the events on the
 * events topic, each event naming its dataset in a header, or none for a topic of one dataset.
 */
final class WorkloadLoader {

    /** The dataset of every generated event. */
    static final Dataset DATASET = Dataset.byName("http_requests").orElseThrow();

    private final Properties kafka;
    private final boolean datasetHeader;

    WorkloadLoader(Properties kafka, boolean datasetHeader) {
        this.kafka = kafka;
        this.datasetHeader = datasetHeader;
    }

    /** Whether the events name their dataset in a header; if not, a reader takes the topic's ({@link #DATASET}). */
    boolean datasetHeader() {
        return datasetHeader;
    }

    /** Creates the events topic and the compacted config topic. */
    void createTopics(BenchTopics topics, int partitions) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(topics.events(), partitions, (short) 1),
                    new NewTopic(topics.deadLetters(), 1, (short) 1))).all().get();
            ConfigTopics.createCompactedIfMissing(admin, topics.config(), (short) 1);
            ConfigTopics.createCompactedIfMissing(admin, topics.status(), (short) 1);
        }
    }

    /** Publishes one enabled job per configured owner, each writing under {@code outputRoot/job-<id>/{DATE}}. */
    void publishJobs(Workload workload, BenchTopics topics, String outputRoot, int intervalSeconds) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int rank = 0; rank < workload.jobs(); rank++) {
                long id = rank + 1L;
                producer.send(ConfigRecordCodec.upsert(topics.config(), id,
                        BenchJobs.json(id, Workload.jobOwner(rank), outputRoot + "/job-" + id + "/{DATE}", intervalSeconds, null)));
            }
        }
    }

    /**
     * Produces the workload's events (or {@code count} of them from sequence {@code from}, timed
     * now); returns how many belong to configured jobs.
     */
    long produceEvents(Workload workload, BenchTopics topics, long from, long count, KafkaProducer<byte[], byte[]> producer) {
        EventSource source = new EventSource(workload, from, datasetHeader);
        long configured = 0;
        for (long i = 0; i < count; i++) {
            ProducerRecord<byte[], byte[]> record = source.next(topics.events(), Instant.now());
            configured += source.lastWasConfigured ? 1 : 0;
            producer.send(record);
        }
        producer.flush();
        return configured;
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(props);
    }

    /** The workload's event sequence: owner first (configured or not, by the share), then the event. */
    static final class EventSource {
        private final Workload workload;
        private final boolean datasetHeader;
        private final SplittableRandom share;
        private final HttpRequestsGenerator configured;
        private final HttpRequestsGenerator others;
        private long sequence;
        boolean lastWasConfigured;

        EventSource(Workload workload, long from, boolean datasetHeader) {
            this.workload = workload;
            this.datasetHeader = datasetHeader;
            this.share = new SplittableRandom(workload.seed() + from);
            this.configured = new HttpRequestsGenerator(workload.jobs(), workload.seed() + 1 + from);
            this.others = new HttpRequestsGenerator(workload.unconfiguredOwners(), workload.seed() + 2 + from);
            this.sequence = from;
        }

        ProducerRecord<byte[], byte[]> next(String topic, Instant time) {
            lastWasConfigured = share.nextDouble() < workload.configuredShare();
            HttpRequestsGenerator generator = lastWasConfigured ? configured : others;
            int rank = generator.nextZone();
            String owner = lastWasConfigured ? Workload.jobOwner(rank) : Workload.otherOwner(rank);
            String json = generator.event(owner, HttpRequestsGenerator.rayId(workload.seed(), sequence++), time);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, time.toEpochMilli(),
                    owner.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
            if (datasetHeader) {
                record.headers().add(RawEventDeserializer.DATASET_HEADER, DATASET_NAME);
            }
            return record;
        }

        private static final byte[] DATASET_NAME = DATASET.name().getBytes(StandardCharsets.UTF_8);
    }
}
