package io.logpush.sink;

import io.logpush.sink.committer.BatchCommittable;
import io.logpush.sink.committer.BatchCommittableSerializer;
import io.logpush.sink.committer.BatchCommittableTypeSerializer;
import io.logpush.sink.committer.BatchFileCommitter;
import io.logpush.sink.committer.CommitterMetrics;
import io.logpush.sink.delivery.BatchDeliverer;
import io.logpush.sink.delivery.CommittedBatches;
import io.logpush.sink.delivery.DeliveryPolicy;
import io.logpush.sink.delivery.JobHealth;
import io.logpush.sink.writer.BatchFileWriter;
import io.logpush.sink.writer.WriterMetrics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.util.Objects;

/**
 * The exactly-once batch file sink: each batch becomes exactly one object at its destination
 * ({@code file://}, {@code s3://}, or any Flink file system with a recoverable writer), and one
 * customer's failing destination holds up no other customer.
 *
 * <p>This class is only a serializable factory, as Flink's FileSink is. Three steps:
 * {@link BatchFileWriter} streams chunks into hidden objects in the {@link StagingArea} (the
 * sink's own storage), {@link BatchFileCommitter} makes them visible there once their checkpoint
 * completes, and {@link BatchDeliverer} (the post-commit topology, keyed by job lane) moves each one to
 * its destination, in order, parking a failing job's batches and publishing {@link JobHealth}. The
 * input contract: the chunks of a batch arrive in order and all before the next checkpoint barrier
 * (the buffering operator emits a batch in one go). See the sinks module's README.
 */
public final class BatchFileSink implements Sink<BatchChunk>, SupportsCommitter<BatchCommittable>,
        SupportsPostCommitTopology<BatchCommittable> {

    private static final long serialVersionUID = 1L;

    /** zlib's own default: the usual balance of object size against CPU (level 1 costs about a third of the CPU, for objects 20–30% larger). */
    public static final int DEFAULT_GZIP_LEVEL = 6;

    private final Compression compression;
    private final int gzipLevel;
    private final StagingArea staging;
    private final DeliveryPolicy delivery;
    private final Sink<JobHealth> health;
    private final int concurrentCloses;

    private BatchFileSink(Compression compression, int gzipLevel, StagingArea staging, DeliveryPolicy delivery,
                          Sink<JobHealth> health, int concurrentCloses) {
        this.compression = compression;
        this.gzipLevel = gzipLevel;
        this.concurrentCloses = concurrentCloses;
        this.staging = staging;
        this.delivery = delivery;
        this.health = health;
    }

    /**
     * The deflate level of the chunks this sink takes already compressed ({@link BlockDeflater},
     * {@link BatchChunk.Deflated}): its gzip level, or 0 when it writes objects uncompressed and takes none.
     */
    public int chunkDeflateLevel() {
        return compression == Compression.GZIP ? gzipLevel : 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SinkWriter<BatchChunk> createWriter(WriterInitContext context) {
        return new BatchFileWriter(compression, gzipLevel, staging, new RecoverableWriters(), System::currentTimeMillis,
                concurrentCloses, openBatches -> new WriterMetrics(context.metricGroup(), openBatches));
    }

    @Override
    public Committer<BatchCommittable> createCommitter(CommitterInitContext context) {
        return new BatchFileCommitter(staging, compression, new RecoverableWriters(),
                new CommitterMetrics(context.metricGroup()), System::currentTimeMillis);
    }

    @Override
    public SimpleVersionedSerializer<BatchCommittable> getCommittableSerializer() {
        return new BatchCommittableSerializer();
    }

    /**
     * Delivery runs chained to the committer, in the same task: what the committer emits when the
     * final checkpoint of a bounded run completes would never cross a network edge (the task
     * downstream has finished by then), and the input is keyed by the jobs' lanes ({@link JobLanes})
     * already, so no shuffle is needed. {@link BatchDeliverer} checks that the input really is keyed so.
     */
    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<BatchCommittable>> committables) {
        int parallelism = committables.getParallelism();
        SingleOutputStreamOperator<BatchCommittable> committed = committables
                .flatMap(new CommittedBatches(), BatchCommittableTypeSerializer.TYPE_INFO)
                .uid("batch-committed").name("Committed batches").setParallelism(parallelism);
        DataStreamUtils.reinterpretAsKeyedStream(committed, committable -> committable.batch().laneKey(), Types.LONG)
                .transform("Deliver or park batches", TypeInformation.of(JobHealth.class),
                        new BatchDeliverer(staging, compression, delivery))
                .uid("batch-delivery").setParallelism(parallelism)
                .sinkTo(health).uid("job-health-sink").name("Job health").setParallelism(parallelism);
    }

    /** Builds a {@link BatchFileSink}: a staging area is required; gzip, default delivery policy, health discarded unless told otherwise. */
    public static final class Builder {
        private Compression compression = Compression.GZIP;
        private int gzipLevel = DEFAULT_GZIP_LEVEL;
        private StagingArea staging;
        private DeliveryPolicy delivery = DeliveryPolicy.DEFAULT;
        private Sink<JobHealth> health = new DiscardingSink<>();
        private int concurrentCloses = 8;

        private Builder() {}

        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /**
         * The deflate level of gzip objects: 1 (fastest) to 9 (smallest); {@value BatchFileSink#DEFAULT_GZIP_LEVEL}
         * by default. Compression is most of the sink's CPU, so this is the sink's throughput knob.
         */
        public Builder gzipLevel(int level) {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("the gzip level must be 1 (fastest) to 9 (smallest), not " + level);
            }
            this.gzipLevel = level;
            return this;
        }

        /** Where batches are staged and dead-lettered, e.g. {@code s3://logpush-system/parking}. */
        public Builder staging(String root) {
            this.staging = StagingArea.at(root);
            return this;
        }

        public Builder delivery(DeliveryPolicy delivery) {
            this.delivery = Objects.requireNonNull(delivery, "delivery");
            return this;
        }

        /** Where each job's {@link JobHealth} goes on every change (e.g. a compacted Kafka topic). */
        public Builder health(Sink<JobHealth> health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /**
         * How many finished objects each writer makes durable at once, off its task thread (an
         * {@code fsync}, or an upload on S3); 8 by default, at least 1.
         */
        public Builder concurrentCloses(int concurrentCloses) {
            if (concurrentCloses < 1) {
                throw new IllegalArgumentException("concurrentCloses must be at least 1, not " + concurrentCloses);
            }
            this.concurrentCloses = concurrentCloses;
            return this;
        }

        public BatchFileSink build() {
            if (staging == null) {
                throw new IllegalStateException("the sink needs a staging area: call staging(URI)");
            }
            return new BatchFileSink(compression, gzipLevel, staging, delivery, health, concurrentCloses);
        }
    }
}
