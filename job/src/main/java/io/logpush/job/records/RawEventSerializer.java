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
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serializes {@link RawEvent}s between the source and the router, the hop every event takes:
 * strings as UTF-8 bytes and the value as is, with no reflection (Flink's record serializer
 * costs several times more here).
 */
public final class RawEventSerializer extends ImmutableValueSerializer<RawEvent> {

    private static final long serialVersionUID = 1L;
    public static final RawEventSerializer INSTANCE = new RawEventSerializer();
    public static final SerializerTypeInfo<RawEvent> TYPE_INFO = new SerializerTypeInfo<>(RawEvent.class, INSTANCE);
    private static final byte FORMAT_V1 = 1;

    @Override
    public RawEvent createInstance() {
        return new RawEvent("", "", new byte[0], 0, "", 0, 0);
    }

    @Override
    public void serialize(RawEvent event, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        writeString(event.owner(), target);
        writeString(event.dataset(), target);
        writeBytes(event.value(), target);
        target.writeLong(event.timestamp());
        writeString(event.topic(), target);
        target.writeInt(event.partition());
        target.writeLong(event.offset());
    }

    @Override
    public RawEvent deserialize(DataInputView source) throws IOException {
        readFormat(source, FORMAT_V1, "raw event");
        return new RawEvent(readString(source), readString(source), readBytes(source), source.readLong(), readString(source),
                source.readInt(), source.readLong());
    }

    private static void writeString(String s, DataOutputView target) throws IOException {
        writeBytes(s.getBytes(StandardCharsets.UTF_8), target);
    }

    private static String readString(DataInputView source) throws IOException {
        return new String(readBytes(source), StandardCharsets.UTF_8);
    }

    @Override
    public TypeSerializerSnapshot<RawEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot, for compatibility checks. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Lets Flink's type extraction find this serializer from the annotation on {@link RawEvent}. */
    public static final class Factory extends TypeInfoFactory<RawEvent> {
        @Override
        public TypeInformation<RawEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return TYPE_INFO;
        }
    }
}
