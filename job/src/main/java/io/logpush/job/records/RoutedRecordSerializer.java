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

/** Serializes {@link RoutedRecord}s between the router and the job buffers: three longs and the bytes, no reflection. */
public final class RoutedRecordSerializer extends ImmutableValueSerializer<RoutedRecord> {

    private static final long serialVersionUID = 1L;
    public static final RoutedRecordSerializer INSTANCE = new RoutedRecordSerializer();
    public static final SerializerTypeInfo<RoutedRecord> TYPE_INFO = new SerializerTypeInfo<>(RoutedRecord.class, INSTANCE);
    private static final byte FORMAT_V1 = 1;

    @Override
    public RoutedRecord createInstance() {
        return new RoutedRecord(0, 0, 0, new byte[0]);
    }

    @Override
    public void serialize(RoutedRecord record, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        target.writeLong(record.laneKey());
        target.writeLong(record.configVersion());
        target.writeLong(record.eventTime());
        writeBytes(record.bytes(), target);
    }

    @Override
    public RoutedRecord deserialize(DataInputView source) throws IOException {
        readFormat(source, FORMAT_V1, "routed record");
        return new RoutedRecord(source.readLong(), source.readLong(), source.readLong(), readBytes(source));
    }

    @Override
    public TypeSerializerSnapshot<RoutedRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot, for compatibility checks. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RoutedRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Lets Flink's type extraction find this serializer from the annotation on {@link RoutedRecord}. */
    public static final class Factory extends TypeInfoFactory<RoutedRecord> {
        @Override
        public TypeInformation<RoutedRecord> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return TYPE_INFO;
        }
    }
}
