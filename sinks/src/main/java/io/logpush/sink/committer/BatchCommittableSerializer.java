package io.logpush.sink.committer;

import io.logpush.sink.BatchDescriptor;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.time.Instant;

/**
 * Versioned binary form of {@link BatchCommittable}, stored in checkpoints. Every version ever
 * written stays readable; golden bytes per version live in the test resources.
 */
public final class BatchCommittableSerializer implements SimpleVersionedSerializer<BatchCommittable> {

    private static final int MAGIC = 0x4C504243; // "LPBC"
    private static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    /** The committable's current-version form: written once, then the same (unmodified) array each time. */
    @Override
    public byte[] serialize(BatchCommittable committable) throws IOException {
        byte[] form = committable.serialized();
        if (form == null) {
            form = write(committable);
            committable.serialized(form);
        }
        return form;
    }

    private static byte[] write(BatchCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256 + committable.recoverable().length);
        out.writeInt(MAGIC);
        BatchDescriptor batch = committable.batch();
        out.writeLong(batch.jobId());
        out.writeLong(batch.configVersion());
        out.writeLong(batch.sequence());
        out.writeUTF(batch.directory());
        writeInstant(out, batch.firstRecord());
        writeInstant(out, batch.lastRecord());
        out.writeLong(batch.records());
        out.writeLong(batch.bytes());
        out.writeUTF(committable.stagedPath());
        out.writeUTF(committable.destinationPath());
        out.writeInt(committable.recoverableVersion());
        out.writeInt(committable.recoverable().length);
        out.write(committable.recoverable());
        out.writeLong(committable.writtenBytes());
        out.writeLong(committable.closedAtMillis());
        return out.getCopyOfBuffer();
    }

    @Override
    public BatchCommittable deserialize(int version, byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not a batch committable: magic number %08x", magic));
        }
        switch (version) {
            case 1:
                return deserializeV1(in);
            case 2:
                return deserializeV2(in);
            default:
                throw new IOException("unknown batch committable version " + version);
        }
    }

    /** Version 1 wrote objects straight to their destination and knew no config version. */
    private static BatchCommittable deserializeV1(DataInputDeserializer in) throws IOException {
        BatchDescriptor batch = new BatchDescriptor(in.readLong(), 0, in.readLong(), in.readUTF(), readInstant(in),
                readInstant(in), in.readLong(), in.readLong());
        String target = in.readUTF();
        return readRest(in, batch, target, target);
    }

    private static BatchCommittable deserializeV2(DataInputDeserializer in) throws IOException {
        BatchDescriptor batch = new BatchDescriptor(in.readLong(), in.readLong(), in.readLong(), in.readUTF(),
                readInstant(in), readInstant(in), in.readLong(), in.readLong());
        return readRest(in, batch, in.readUTF(), in.readUTF());
    }

    private static BatchCommittable readRest(DataInputDeserializer in, BatchDescriptor batch, String staged,
                                             String destination) throws IOException {
        int recoverableVersion = in.readInt();
        byte[] recoverable = new byte[in.readInt()];
        in.readFully(recoverable);
        return new BatchCommittable(batch, staged, destination, recoverableVersion, recoverable, in.readLong(),
                in.readLong());
    }

    private static void writeInstant(DataOutputSerializer out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputDeserializer in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
