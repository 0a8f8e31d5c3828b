package io.logpush.job.records;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written serializers of the records between operators: found by type extraction, lossless, versioned. */
class RecordSerializersTest {

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T read = serializer.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        return read;
    }

    @Test
    void typeExtractionFindsTheHandWrittenSerializers() {
        assertThat(TypeInformation.of(RawEvent.class)).isSameAs(RawEventSerializer.TYPE_INFO);
        assertThat(TypeInformation.of(RoutedRecord.class)).isSameAs(RoutedRecordSerializer.TYPE_INFO);
    }

    @Test
    void aRawEventSurvivesTheWireIncludingNonAsciiAndAMissingValue() throws IOException {
        RawEvent event = new RawEvent("zöne-1", "http_requests", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 42L, "events", 3, 99L);
        RawEvent read = roundTrip(RawEventSerializer.INSTANCE, event);
        assertThat(read).usingRecursiveComparison().isEqualTo(event);

        RawEvent tombstone = new RawEvent("", "", null, 0, "events", 0, 1);
        assertThat(roundTrip(RawEventSerializer.INSTANCE, tombstone).value()).isNull();
    }

    @Test
    void aRoutedRecordSurvivesTheWire() throws IOException {
        RoutedRecord record = new RoutedRecord(7, 12, 1_731_578_400_000L, "line\n".getBytes(StandardCharsets.UTF_8));
        assertThat(roundTrip(RoutedRecordSerializer.INSTANCE, record)).usingRecursiveComparison().isEqualTo(record);
    }

    @Test
    void anUnknownFormatVersionIsRefusedClearly() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {9, 0, 0, 0});
        assertThatThrownBy(() -> RoutedRecordSerializer.INSTANCE.deserialize(in)).hasMessage("unknown routed record format 9");
    }
}
