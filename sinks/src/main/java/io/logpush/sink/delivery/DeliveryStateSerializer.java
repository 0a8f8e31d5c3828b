package io.logpush.sink.delivery;

import io.logpush.types.ImmutableValueSerializer;
import io.logpush.types.SerializerTypeInfo;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** The keyed-state format of {@link DeliveryState}, versioned by its first byte. */
public final class DeliveryStateSerializer extends ImmutableValueSerializer<DeliveryState> {

    private static final long serialVersionUID = 1L;
    static final DeliveryStateSerializer INSTANCE = new DeliveryStateSerializer();
    static final SerializerTypeInfo<DeliveryState> TYPE_INFO = new SerializerTypeInfo<>(DeliveryState.class, INSTANCE);
    private static final byte FORMAT_V1 = 1;

    @Override
    public DeliveryState createInstance() {
        return DeliveryState.NEW;
    }

    @Override
    public void serialize(DeliveryState s, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        target.writeByte(s.state().ordinal());
        target.writeLong(s.lastComplete());
        target.writeLong(s.lastError());
        target.writeBoolean(s.errorMessage() != null);
        if (s.errorMessage() != null) {
            target.writeUTF(s.errorMessage());
        }
        target.writeLong(s.parkedBatches());
        target.writeLong(s.parkedBytes());
        target.writeLong(s.failingSince());
        target.writeInt(s.failures());
        target.writeLong(s.nextAttempt());
        target.writeLong(s.disabledAtVersion());
        target.writeLong(s.deliveredBatches());
        target.writeLong(s.deadLetteredBatches());
    }

    @Override
    public DeliveryState deserialize(DataInputView source) throws IOException {
        readFormat(source, FORMAT_V1, "delivery state");
        JobHealth.State state = JobHealth.State.values()[source.readByte()];
        long lastComplete = source.readLong();
        long lastError = source.readLong();
        String message = source.readBoolean() ? source.readUTF() : null;
        return new DeliveryState(state, lastComplete, lastError, message, source.readLong(),
                source.readLong(), source.readLong(), source.readInt(), source.readLong(), source.readLong(),
                source.readLong(), source.readLong());
    }

    @Override
    public TypeSerializerSnapshot<DeliveryState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot, for compatibility checks. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeliveryState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
