package io.logpush.config.broadcast;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serializes {@link ConfigUpdate}s on the broadcast stream and in broadcast state. Each value
 * starts with a format version, so the state format can evolve without a new serializer class.
 */
public final class ConfigUpdateSerializer extends TypeSerializerSingleton<ConfigUpdate> {

    public static final ConfigUpdateSerializer INSTANCE = new ConfigUpdateSerializer();
    private static final byte FORMAT_V1 = 1;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public ConfigUpdate createInstance() {
        return new ConfigUpdate(1, 0, Optional.empty());
    }

    @Override
    public ConfigUpdate copy(ConfigUpdate from) {
        return from;
    }

    @Override
    public ConfigUpdate copy(ConfigUpdate from, ConfigUpdate reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ConfigUpdate update, DataOutputView target) throws IOException {
        target.writeByte(FORMAT_V1);
        target.writeLong(update.jobId());
        target.writeLong(update.version());
        target.writeBoolean(update.json().isPresent());
        if (update.json().isPresent()) {
            // Job JSON can exceed writeUTF's 64 KiB limit only if the parser's own limit grows; write it as bytes.
            byte[] json = update.json().get().getBytes(StandardCharsets.UTF_8);
            target.writeInt(json.length);
            target.write(json);
        }
    }

    @Override
    public ConfigUpdate deserialize(DataInputView source) throws IOException {
        byte format = source.readByte();
        if (format != FORMAT_V1) {
            throw new IOException("unknown config update format " + format);
        }
        long jobId = source.readLong();
        long version = source.readLong();
        Optional<String> json = Optional.empty();
        if (source.readBoolean()) {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            json = Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
        return new ConfigUpdate(jobId, version, json);
    }

    @Override
    public ConfigUpdate deserialize(ConfigUpdate reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
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
