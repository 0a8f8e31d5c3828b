package io.logpush.sink.committer;

import io.logpush.types.ImmutableValueSerializer;
import io.logpush.types.SerializerTypeInfo;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * {@link BatchCommittable}s as a Flink type, for the delivery step's input and its parked-batch
 * state: the {@link BatchCommittableSerializer}'s version and bytes, so the committable's own
 * versioning carries over.
 */
public final class BatchCommittableTypeSerializer extends ImmutableValueSerializer<BatchCommittable> {

    private static final long serialVersionUID = 1L;
    public static final BatchCommittableTypeSerializer INSTANCE = new BatchCommittableTypeSerializer();
    public static final SerializerTypeInfo<BatchCommittable> TYPE_INFO =
            new SerializerTypeInfo<>(BatchCommittable.class, INSTANCE);
    private static final byte FORMAT_V1 = 1;
    private static final BatchCommittableSerializer COMMITTABLES = new BatchCommittableSerializer();

    @Override
    public BatchCommittable createInstance() {
        return null;
    }

    @Override
    public void serialize(BatchCommittable committable, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        target.writeInt(COMMITTABLES.getVersion());
        writeBytes(COMMITTABLES.serialize(committable), target);
    }

    @Override
    public BatchCommittable deserialize(DataInputView source) throws IOException {
        readFormat(source, FORMAT_V1, "batch committable");
        int version = source.readInt();
        return COMMITTABLES.deserialize(version, readBytes(source));
    }

    @Override
    public TypeSerializerSnapshot<BatchCommittable> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot, for compatibility checks. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<BatchCommittable> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
