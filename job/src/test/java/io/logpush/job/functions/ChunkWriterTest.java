package io.logpush.job.functions;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkWriterTest {

    /** Writes {@code total} random bytes in pieces of up to 100 to a batch announced as {@code announced} bytes. */
    @ParameterizedTest(name = "{0} bytes announced as {1}, chunks of {2}")
    @CsvSource({
            "1, 1, 1048576",     // the usual small batch: one exact array
            "700, 700, 256",     // several chunks, the last one partial
            "768, 768, 256",     // an exact multiple: no empty chunk
            "0, 0, 256",         // nothing at all: one empty last chunk
            "900, 300, 256",     // more than announced: nothing is lost
            "100, 900, 256",     // less than announced: no slack is sent
    })
    void chunksCarryEveryByteInOrderWithoutSlack(int total, long announced, int chunkBytes) {
        byte[] content = new byte[total];
        new Random(total).nextBytes(content);
        BatchDescriptor batch = new BatchDescriptor(7, 1, 0, "file:///out", Instant.EPOCH, Instant.EPOCH, 1, announced);
        List<BatchChunk> chunks = new ArrayList<>();
        ChunkWriter writer = new ChunkWriter(batch, collector(chunks), chunkBytes);
        for (int offset = 0; offset < total; offset += 100) {
            writer.write(content, offset, Math.min(100, total - offset));
        }
        writer.finish();

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < chunks.size(); i++) {
            BatchChunk chunk = chunks.get(i);
            assertThat(chunk.index()).isEqualTo(i);
            assertThat(chunk.last()).isEqualTo(i == chunks.size() - 1);
            assertThat(chunk.bytes().length).isLessThanOrEqualTo(chunkBytes);
            if (!chunk.last()) {
                assertThat(chunk.bytes()).hasSize(chunkBytes);
            }
            joined.writeBytes(chunk.bytes());
        }
        assertThat(joined.toByteArray()).isEqualTo(content);
        assertThat(chunks).hasSize(Math.max(1, (total + chunkBytes - 1) / chunkBytes));
    }

    private static Collector<BatchChunk> collector(List<BatchChunk> chunks) {
        return new Collector<>() {
            @Override
            public void collect(BatchChunk chunk) {
                chunks.add(chunk);
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void aPieceDeflatedAheadTravelsAsAChunkOfItsOwnBetweenTheContentAroundIt() {
        BatchDescriptor batch = new BatchDescriptor(7, 1, 0, "file:///out", Instant.EPOCH, Instant.EPOCH, 3, 1_010);
        List<BatchChunk> chunks = new ArrayList<>();
        ChunkWriter writer = new ChunkWriter(batch, collector(chunks), 256);
        writer.write("[".getBytes(), 0, 1);
        BatchChunk.Deflated deflated = new BatchChunk.Deflated(42, 1_000);
        writer.writeDeflated(new byte[] {9, 1, 2, 3, 9}, 1, 3, deflated);
        writer.write(",x]".getBytes(), 0, 3);
        writer.finish();

        assertThat(chunks).extracting(BatchChunk::index).containsExactly(0, 1, 2);
        assertThat(chunks).extracting(BatchChunk::deflated).containsExactly(null, deflated, null);
        assertThat(chunks).extracting(chunk -> new String(chunk.bytes())).containsExactly("[", "\u0001\u0002\u0003", ",x]");
        assertThat(chunks).extracting(BatchChunk::last).containsExactly(false, false, true);
    }
}
