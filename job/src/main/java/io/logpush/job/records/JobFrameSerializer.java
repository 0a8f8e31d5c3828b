package io.logpush.job.records;

import io.logpush.types.ImmutableValueSerializer;
import io.logpush.types.ReplacingSerializerSnapshot;
import io.logpush.types.SerializerTypeInfo;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The broadcast-state format of {@link JobFrame}: written by every buffer instance at every
 * checkpoint, once per job. Replaces the POJO format, which is migrated on restore.
 */
public final class JobFrameSerializer extends ImmutableValueSerializer<JobFrame> {

    private static final long serialVersionUID = 1L;
    public static final JobFrameSerializer INSTANCE = new JobFrameSerializer();
    public static final SerializerTypeInfo<JobFrame> TYPE_INFO = new SerializerTypeInfo<>(JobFrame.class, INSTANCE);
    private static final byte FORMAT_V1 = 1;

    @Override
    public JobFrame createInstance() {
        return new JobFrame(0, null);
    }

    @Override
    public void serialize(JobFrame entry, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        target.writeLong(entry.version());
        target.writeBoolean(entry.frame() != null);
        if (entry.frame() != null) {
            BatchFrameSerializer.INSTANCE.serialize(entry.frame(), target);
        }
    }

    @Override
    public JobFrame deserialize(DataInputView source) throws IOException {
        readFormat(source, FORMAT_V1, "job frame");
        long version = source.readLong();
        return new JobFrame(version, source.readBoolean() ? BatchFrameSerializer.INSTANCE.deserialize(source) : null);
    }

    @Override
    public TypeSerializerSnapshot<JobFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot; state in the former POJO format is migrated. */
    public static final class Snapshot extends ReplacingSerializerSnapshot<JobFrame> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
