package io.logpush.job.records;

import io.logpush.types.ImmutableValueSerializer;
import io.logpush.types.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;

/** Serializes {@link JobFrameUpdate}s between the frame compiler and the job buffers: the lane key, then the frame. */
public final class JobFrameUpdateSerializer extends ImmutableValueSerializer<JobFrameUpdate> {

    private static final long serialVersionUID = 1L;
    public static final JobFrameUpdateSerializer INSTANCE = new JobFrameUpdateSerializer();
    public static final SerializerTypeInfo<JobFrameUpdate> TYPE_INFO = new SerializerTypeInfo<>(JobFrameUpdate.class, INSTANCE);
    private static final byte FORMAT_V1 = 1;

    @Override
    public JobFrameUpdate createInstance() {
        return new JobFrameUpdate(0, new JobFrame(0, null));
    }

    @Override
    public void serialize(JobFrameUpdate update, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        target.writeLong(update.laneKey());
        JobFrameSerializer.INSTANCE.serialize(update.frame(), target);
    }

    @Override
    public JobFrameUpdate deserialize(DataInputView source) throws IOException {
        readFormat(source, FORMAT_V1, "job frame update");
        return new JobFrameUpdate(source.readLong(), JobFrameSerializer.INSTANCE.deserialize(source));
    }

    @Override
    public TypeSerializerSnapshot<JobFrameUpdate> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot, for compatibility checks. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<JobFrameUpdate> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Lets Flink's type extraction find this serializer from the annotation on {@link JobFrameUpdate}. */
    public static final class Factory extends TypeInfoFactory<JobFrameUpdate> {
        @Override
        public TypeInformation<JobFrameUpdate> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return TYPE_INFO;
        }
    }
}
