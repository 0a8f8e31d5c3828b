package io.logpush.sink;

import io.logpush.sink.committer.BatchCommittable;
import io.logpush.sink.committer.BatchCommittableSerializer;
import io.logpush.sink.committer.BatchFileCommitter;
import io.logpush.sink.committer.CommitterMetrics;
import io.logpush.sink.writer.BatchFileWriter;
import io.logpush.sink.writer.WriterMetrics;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.Objects;

/**
 * The exactly-once batch file sink: each batch becomes exactly one object at its destination
 * ({@code file://}, {@code s3://}, or any Flink file system with a recoverable writer), visible only
 * once the checkpoint that contains the batch completes.
 *
 * <p>This class is only a serializable factory, as Flink's FileSink is: {@link BatchFileWriter}
 * streams chunks into hidden objects, {@link BatchFileCommitter} makes them visible. The input
 * contract: the chunks of a batch arrive in order and all before the next checkpoint barrier (the
 * buffering operator emits a batch in one go). See the sinks module's README.
 */
public final class BatchFileSink implements Sink<BatchChunk>, SupportsCommitter<BatchCommittable> {

    private static final long serialVersionUID = 1L;

    private final Compression compression;

    private BatchFileSink(Compression compression) {
        this.compression = compression;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SinkWriter<BatchChunk> createWriter(WriterInitContext context) {
        return new BatchFileWriter(compression, new RecoverableWriters(), System::currentTimeMillis,
                openBatches -> new WriterMetrics(context.metricGroup(), openBatches));
    }

    @Override
    public Committer<BatchCommittable> createCommitter(CommitterInitContext context) {
        return new BatchFileCommitter(new RecoverableWriters(), new CommitterMetrics(context.metricGroup()),
                System::currentTimeMillis);
    }

    @Override
    public SimpleVersionedSerializer<BatchCommittable> getCommittableSerializer() {
        return new BatchCommittableSerializer();
    }

    /** Builds a {@link BatchFileSink}; gzip unless told otherwise. */
    public static final class Builder {
        private Compression compression = Compression.GZIP;

        private Builder() {}

        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        public BatchFileSink build() {
            return new BatchFileSink(compression);
        }
    }
}
