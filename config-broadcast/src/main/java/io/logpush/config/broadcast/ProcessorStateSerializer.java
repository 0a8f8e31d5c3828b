package io.logpush.config.broadcast;

import io.logpush.config.guard.ConfigChange;
import io.logpush.config.guard.GuardState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Versioned checkpoint format of the config stage's {@link ConfigProcessor.ProcessorState}. */
public final class ProcessorStateSerializer implements SimpleVersionedSerializer<ConfigProcessor.ProcessorState> {

    private static final int MAGIC = 0x4C504353; // "LPCS"

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(ConfigProcessor.ProcessorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeInt(MAGIC);
        writeMap(out, state.latestVersions());
        writeMap(out, state.inForceVersions());
        GuardState guard = state.guard();
        writeMap(out, guard.activeJobs());
        out.writeInt(guard.recentRemovals().size());
        for (Instant at : guard.recentRemovals()) {
            writeInstant(out, at);
        }
        writeChanges(out, guard.pending());
        out.writeBoolean(guard.pendingDeadline().isPresent());
        if (guard.pendingDeadline().isPresent()) {
            writeInstant(out, guard.pendingDeadline().get());
        }
        writeChanges(out, guard.held());
        writeInstant(out, guard.clock());
        return out.getCopyOfBuffer();
    }

    @Override
    public ConfigProcessor.ProcessorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown config stage state version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a config stage state");
        }
        Map<Long, Long> latest = readMap(in);
        Map<Long, Long> inForce = readMap(in);
        Map<Long, Long> active = readMap(in);
        List<Instant> recent = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            recent.add(readInstant(in));
        }
        List<ConfigChange> pending = readChanges(in);
        Optional<Instant> deadline = in.readBoolean() ? Optional.of(readInstant(in)) : Optional.empty();
        List<ConfigChange> held = readChanges(in);
        Instant clock = readInstant(in);
        return new ConfigProcessor.ProcessorState(latest, inForce, new GuardState(active, recent, pending, deadline, held, clock));
    }

    private static void writeMap(DataOutputSerializer out, Map<Long, Long> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<Long, Long> e : map.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Map<Long, Long> readMap(DataInputDeserializer in) throws IOException {
        int size = in.readInt();
        Map<Long, Long> map = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            map.put(in.readLong(), in.readLong());
        }
        return map;
    }

    private static void writeChanges(DataOutputSerializer out, List<ConfigChange> changes) throws IOException {
        out.writeInt(changes.size());
        for (ConfigChange c : changes) {
            out.writeLong(c.jobId());
            out.writeLong(c.version());
            writeInstant(out, c.timestamp());
            out.writeBoolean(c.enabled());
            out.writeBoolean(c.json().isPresent());
            if (c.json().isPresent()) {
                byte[] json = c.json().get().getBytes(StandardCharsets.UTF_8);
                out.writeInt(json.length);
                out.write(json);
            }
        }
    }

    private static List<ConfigChange> readChanges(DataInputDeserializer in) throws IOException {
        List<ConfigChange> changes = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            long job = in.readLong();
            long version = in.readLong();
            Instant at = readInstant(in);
            boolean enabled = in.readBoolean();
            Optional<String> json = Optional.empty();
            if (in.readBoolean()) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                json = Optional.of(new String(bytes, StandardCharsets.UTF_8));
            }
            changes.add(new ConfigChange(job, version, at, json, enabled));
        }
        return changes;
    }

    private static void writeInstant(DataOutputSerializer out, Instant at) throws IOException {
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
    }

    private static Instant readInstant(DataInputDeserializer in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
