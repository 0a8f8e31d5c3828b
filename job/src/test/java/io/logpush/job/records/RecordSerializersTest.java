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

/** The hand-written serializers of the records between operators and of the buffer's state: lossless, versioned. */
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
        assertThat(TypeInformation.of(JobFrameUpdate.class)).isSameAs(JobFrameUpdateSerializer.TYPE_INFO);
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
    void aJobFrameUpdateSurvivesTheWireWithOrWithoutAFrame() throws IOException {
        BatchFrame frame = new BatchFrame(3, "s3://b/{DATE}", "[".getBytes(StandardCharsets.UTF_8),
                "]".getBytes(StandardCharsets.UTF_8), ",".getBytes(StandardCharsets.UTF_8), 1000, 10, 30_000);
        JobFrameUpdate update = new JobFrameUpdate(7, new JobFrame(3, frame));
        assertThat(roundTrip(JobFrameUpdateSerializer.INSTANCE, update)).usingRecursiveComparison().isEqualTo(update);
        JobFrameUpdate deletion = new JobFrameUpdate(8, new JobFrame(4, null));
        assertThat(roundTrip(JobFrameUpdateSerializer.INSTANCE, deletion)).usingRecursiveComparison().isEqualTo(deletion);
    }

    @Test
    void theBuffersStateSurvivesACheckpointWithTheUsualFramingShared() throws IOException {
        BatchFrame frame = new BatchFrame(3, "s3://bücket/logs/{DATE}", "[".getBytes(StandardCharsets.UTF_8),
                new byte[0], "\n".getBytes(StandardCharsets.UTF_8), 5_000_000, 100_000, 30_000);
        BatchFrame read = roundTrip(BatchFrameSerializer.INSTANCE, frame);
        assertThat(read).usingRecursiveComparison().isEqualTo(frame);
        assertThat(read.batchSuffix()).as("one empty array for every job").isSameAs(BatchFrame.shared(new byte[0]));
        assertThat(read.recordDelimiter()).as("one newline array for every job").isSameAs(BatchFrame.shared(new byte[] {'\n'}));

        JobFrame entry = new JobFrame(4, frame);
        assertThat(roundTrip(JobFrameSerializer.INSTANCE, entry)).usingRecursiveComparison().isEqualTo(entry);
        assertThat(roundTrip(JobFrameSerializer.INSTANCE, new JobFrame(5, null)).frame()).as("deleted or disabled").isNull();

        OpenBatchState open = new OpenBatchState(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(roundTrip(OpenBatchStateSerializer.INSTANCE, open)).isEqualTo(open);
    }

    @Test
    void anUnknownFormatVersionIsRefusedClearly() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {9, 0, 0, 0});
        assertThatThrownBy(() -> RoutedRecordSerializer.INSTANCE.deserialize(in)).hasMessage("unknown routed record format 9");
    }
}
