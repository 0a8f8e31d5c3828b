package io.logpush.job.records;

import io.logpush.types.ImmutableValueSerializer;
import io.logpush.types.ReplacingSerializerSnapshot;
import io.logpush.types.SerializerTypeInfo;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The state format of {@link BatchFrame} (keyed state, and inside {@link JobFrame} in broadcast
 * state): the directory as UTF-8 bytes in one write, where Flink's reflective serializer wrote it
 * a character at a time; that was most of a checkpoint's cost with many jobs. Replaces the POJO
 * format, which is migrated on restore.
 */
public final class BatchFrameSerializer extends ImmutableValueSerializer<BatchFrame> {

    private static final long serialVersionUID = 1L;
    public static final BatchFrameSerializer INSTANCE = new BatchFrameSerializer();
    public static final SerializerTypeInfo<BatchFrame> TYPE_INFO = new SerializerTypeInfo<>(BatchFrame.class, INSTANCE);
    private static final byte FORMAT_V1 = 1;

    @Override
    public BatchFrame createInstance() {
        return new BatchFrame(0, "", new byte[0], new byte[0], new byte[0], 0, 0, 0);
    }

    @Override
    public void serialize(BatchFrame frame, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        target.writeLong(frame.configVersion());
        writeBytes(frame.directoryTemplate().getBytes(StandardCharsets.UTF_8), target);
        writeBytes(frame.batchPrefix(), target);
        writeBytes(frame.batchSuffix(), target);
        writeBytes(frame.recordDelimiter(), target);
        target.writeLong(frame.maxBytes());
        target.writeLong(frame.maxRecords());
        target.writeLong(frame.maxIntervalMillis());
    }

    @Override
    public BatchFrame deserialize(DataInputView source) throws IOException {
        readFormat(source, FORMAT_V1, "batch frame");
        long configVersion = source.readLong();
        String directory = new String(readBytes(source), StandardCharsets.UTF_8);
        return new BatchFrame(configVersion, directory, BatchFrame.shared(readBytes(source)),
                BatchFrame.shared(readBytes(source)), BatchFrame.shared(readBytes(source)),
                source.readLong(), source.readLong(), source.readLong());
    }

    @Override
    public TypeSerializerSnapshot<BatchFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot; state in the former POJO format is migrated. */
    public static final class Snapshot extends ReplacingSerializerSnapshot<BatchFrame> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
