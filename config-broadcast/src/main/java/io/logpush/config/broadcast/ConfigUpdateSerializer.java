package io.logpush.config.broadcast;

import io.logpush.types.ImmutableValueSerializer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serializes {@link ConfigUpdate}s on the broadcast stream and in broadcast state. Each value
 * starts with a format version, so the state format can evolve without a new serializer class.
 */
public final class ConfigUpdateSerializer extends ImmutableValueSerializer<ConfigUpdate> {

    public static final ConfigUpdateSerializer INSTANCE = new ConfigUpdateSerializer();
    /** The JSON as UTF-8 text; read, never written. */
    private static final byte FORMAT_V1 = 1;
    /** The JSON deflated against {@link ConfigJson#DICTIONARY_V2}: a quarter of the bytes at every checkpoint. */
    private static final byte FORMAT_V2 = 2;

    @Override
    public ConfigUpdate createInstance() {
        return new ConfigUpdate(1, 0, Optional.empty());
    }

    @Override
    public void serialize(ConfigUpdate update, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V2);
        target.writeLong(update.jobId());
        target.writeLong(update.version());
        writeBytes(update.deflatedJson(), target);
    }

    @Override
    public ConfigUpdate deserialize(DataInputView source) throws IOException {
        byte format = source.readByte();
        long jobId = source.readLong();
        long version = source.readLong();
        switch (format) {
            case FORMAT_V1 -> {
                Optional<String> json = source.readBoolean()
                        ? Optional.of(new String(readBytes(source), StandardCharsets.UTF_8)) : Optional.empty();
                return new ConfigUpdate(jobId, version, json);
            }
            case FORMAT_V2 -> {
                return new ConfigUpdate(jobId, version, readBytes(source));
            }
            default -> throw new IOException("unknown config update format " + format);
        }
    }

    @Override
    public TypeSerializerSnapshot<ConfigUpdate> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot, for state compatibility checks on restore. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ConfigUpdate> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
