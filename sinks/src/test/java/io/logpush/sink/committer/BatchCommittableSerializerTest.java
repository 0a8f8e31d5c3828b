package io.logpush.sink.committer;

import io.logpush.sink.BatchDescriptor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The committable's checkpoint format, pinned by golden bytes per version. */
class BatchCommittableSerializerTest {

    private static final String OBJECT = "s3://bucket/logs/20241114/20241114T100000Z_20241114T100030Z_0a1b2c3d.log.gz";

    /** Version 2: staged in the staging area, delivered afterwards, with the config version. */
    static final BatchCommittable SAMPLE = new BatchCommittable(
            new BatchDescriptor(42, 3, 17, "s3://bucket/logs/20241114", Instant.parse("2024-11-14T10:00:00.123456789Z"),
                    Instant.parse("2024-11-14T10:00:30Z"), 1000, 123_456),
            "s3://system/parking/staging/42/17-20241114T100000Z_20241114T100030Z_0a1b2c3d.log.gz", OBJECT, 2,
            new byte[] {1, 2, 3, 4, 5}, 23_456, 1_731_578_430_000L);

    /** What version 1's golden bytes hold: written straight to the destination, no config version. */
    static final BatchCommittable SAMPLE_V1 = new BatchCommittable(
            new BatchDescriptor(42, 0, 17, "s3://bucket/logs/20241114", Instant.parse("2024-11-14T10:00:00.123456789Z"),
                    Instant.parse("2024-11-14T10:00:30Z"), 1000, 123_456),
            OBJECT, OBJECT, 2, new byte[] {1, 2, 3, 4, 5}, 23_456, 1_731_578_430_000L);

    private final BatchCommittableSerializer serializer = new BatchCommittableSerializer();

    private byte[] golden(int version) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/golden/batch-committable-v" + version + ".bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void roundTrips() throws IOException {
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(SAMPLE))).isEqualTo(SAMPLE);
    }

    @Test
    void aCommittableIsWrittenOnceAndItsFormReusedByEveryLaterCall() throws IOException {
        BatchCommittable committable = serializer.deserialize(2, golden(2));
        byte[] first = serializer.serialize(committable);
        assertThat(serializer.serialize(committable)).isSameAs(first);
        assertThat(new BatchCommittableSerializer().serialize(committable)).isSameAs(first);
        assertThat(first).isEqualTo(golden(2));
    }

    @Test
    void readsAndWritesVersion2GoldenBytes() throws IOException {
        assertThat(serializer.getVersion()).isEqualTo(2);
        assertThat(serializer.deserialize(2, golden(2))).isEqualTo(SAMPLE);
        assertThat(serializer.serialize(SAMPLE)).isEqualTo(golden(2));
    }

    @Test
    void stillReadsVersion1GoldenBytes() throws IOException {
        assertThat(serializer.deserialize(1, golden(1))).isEqualTo(SAMPLE_V1);
    }

    @Test
    void refusesForeignBytesAndUnknownVersions() throws IOException {
        assertThatThrownBy(() -> serializer.deserialize(1, new byte[] {0, 0, 0, 0, 1})).hasMessageContaining("magic number");
        byte[] bytes = serializer.serialize(SAMPLE);
        assertThatThrownBy(() -> serializer.deserialize(99, bytes)).hasMessageContaining("unknown batch committable version 99");
    }
}
