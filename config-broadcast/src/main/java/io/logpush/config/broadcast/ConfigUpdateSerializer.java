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
    private static final byte FORMAT_V1 = 1;

    @Override
    public ConfigUpdate createInstance() {
        return new ConfigUpdate(1, 0, Optional.empty());
    }

    @Override
    public void serialize(ConfigUpdate update, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        target.writeLong(update.jobId());
        target.writeLong(update.version());
        target.writeBoolean(update.json().isPresent());
        if (update.json().isPresent()) {
            // Job JSON can exceed writeUTF's 64 KiB limit only if the parser's own limit grows; write it as bytes.
            writeBytes(update.json().get().getBytes(StandardCharsets.UTF_8), target);
        }
    }

    @Override
    public ConfigUpdate deserialize(DataInputView source) throws IOException {
        readFormat(source, FORMAT_V1, "config update");
        long jobId = source.readLong();
        long version = source.readLong();
        Optional<String> json = Optional.empty();
        if (source.readBoolean()) {
            json = Optional.of(new String(readBytes(source), StandardCharsets.UTF_8));
        }
        return new ConfigUpdate(jobId, version, json);
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
