package io.logpush.sink.writer;

import io.logpush.sink.BlockDeflater;
import io.logpush.sink.GzipObjectReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One reused compressor writes members that any gzip reader, even one that reads a single member, reads back exactly. */
class GzipMemberTest {

    /** As the strictest readers read: one member and nothing after it. */
    private static byte[] gunzip(byte[] gzip) throws Exception {
        return GzipObjectReader.read(gzip);
    }

    private static byte[] member(GzipMember gzip, byte[] content, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gzip.start(out);
        for (int i = 0; i < content.length; i += chunk) {
            gzip.write(content, i, Math.min(chunk, content.length - i));
        }
        gzip.finish();
        return out.toByteArray();
    }

    /** Deflates {@code content[from, from + length)} ahead, with the {@code dictionary} bytes before it, and splices it in. */
    private static void splice(GzipMember gzip, BlockDeflater ahead, byte[] content, int from, int length, int dictionary)
            throws Exception {
        ahead.deflate(content, from, length, content, from - dictionary, dictionary);
        gzip.writeDeflated(Arrays.copyOf(ahead.blocks(), ahead.blocksLength()), ahead.crc32(), length);
    }

    /** Distinct log lines, as batches hold them. */
    private static byte[] logLines(long seed, int lines) {
        StringBuilder log = new StringBuilder();
        Random random = new Random(seed);
        for (int i = 0; i < lines; i++) {
            log.append("{\"RayID\":\"").append(Long.toHexString(random.nextLong())).append("\",\"EdgeResponseStatus\":")
                    .append(200 + random.nextInt(5) * 100).append(",\"ClientRequestPath\":\"/api/v").append(random.nextInt(3))
                    .append("/item/").append(random.nextInt(10_000)).append("\"}\n");
        }
        return log.toString().getBytes();
    }

    @Test
    void membersWrittenOneAfterAnotherEachReadBackExactly() throws Exception {
        byte[] large = new byte[300_000]; // several of the compressor's 64 KiB buffers, half incompressible
        new Random(7).nextBytes(large);
        for (int i = 0; i < large.length / 2; i++) {
            large[i] = (byte) ('a' + i % 7);
        }
        byte[] small = "{\"RayID\":\"r1\"}\n".getBytes();
        try (GzipMember gzip = new GzipMember(6)) {
            assertThat(gunzip(member(gzip, large, 4_096))).isEqualTo(large);
            assertThat(gunzip(member(gzip, small, 3))).isEqualTo(small);
            assertThat(gunzip(member(gzip, new byte[0], 1))).isEmpty();
            assertThat(gunzip(member(gzip, small, 100))).as("no state left over from earlier members").isEqualTo(small);
        }
    }

    @Test
    void theLevelTradesSizeForSpeedAndEveryLevelReadsBackTheSame() throws Exception {
        byte[] content = logLines(3, 5_000);
        byte[] fastest;
        byte[] smallest;
        try (GzipMember level1 = new GzipMember(1); GzipMember level9 = new GzipMember(9)) {
            fastest = member(level1, content, 8_192);
            smallest = member(level9, content, 8_192);
        }
        assertThat(gunzip(fastest)).isEqualTo(content);
        assertThat(gunzip(smallest)).isEqualTo(content);
        assertThat(smallest.length).as("level 9 compresses harder than level 1").isLessThan(fastest.length);
    }

    /**
     * Pieces deflated ahead, with the content before them as their dictionary or without one,
     * spliced between content the member deflates itself: any gzip reader reads the whole back and
     * its checksum and length hold.
     */
    @Test
    void blocksDeflatedAheadSpliceIntoTheMember() throws Exception {
        byte[] content = logLines(11, 4_000);
        int[] cuts = {0, 1_000, 40_000, 75_000, 90_000, 120_000, content.length};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipMember gzip = new GzipMember(6); BlockDeflater ahead = new BlockDeflater(6)) {
            gzip.start(out);
            for (int i = 0; i + 1 < cuts.length; i++) {
                int from = cuts[i];
                int length = cuts[i + 1] - from;
                if (i % 3 == 0) {
                    gzip.write(content, from, length); // the member's own
                } else {
                    int dictionary = i % 3 == 1 ? 0 : Math.min(from, BlockDeflater.WINDOW_BYTES);
                    splice(gzip, ahead, content, from, length, dictionary);
                }
            }
            gzip.finish();
        }
        assertThat(gunzip(out.toByteArray())).isEqualTo(content);
        assertThat(out.size()).as("compressed").isLessThan(content.length / 2);
    }

    @Test
    void aMemberOfDeflatedPiecesOnlyEndsWithAnEmptyFinalBlock() throws Exception {
        byte[] content = "{\"RayID\":\"r1\"}\n{\"RayID\":\"r2\"}\n".getBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipMember gzip = new GzipMember(6); BlockDeflater ahead = new BlockDeflater(6)) {
            gzip.start(out);
            splice(gzip, ahead, content, 0, 16, 0);
            splice(gzip, ahead, content, 16, content.length - 16, 16);
            gzip.finish();
        }
        assertThat(gunzip(out.toByteArray())).isEqualTo(content);
    }

    /** Counts the write calls that reach it, as a file written unbuffered would see them. */
    private static final class CountingStream extends ByteArrayOutputStream {
        int writes;

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            writes++;
            super.write(bytes, offset, length);
        }
    }

    @Test
    void aSmallMemberReachesItsTargetInOneWrite() throws Exception {
        byte[] content = logLines(3, 100);
        CountingStream out = new CountingStream();
        try (GzipMember gzip = new GzipMember(6); BlockDeflater ahead = new BlockDeflater(6)) {
            gzip.start(out);
            gzip.write(content, 0, 1_000);
            splice(gzip, ahead, content, 1_000, 2_000, 1_000);
            gzip.write(content, 3_000, content.length - 3_000);
            assertThat(out.writes).as("before the member is finished").isZero();
            gzip.finish();
        }
        assertThat(out.writes).isEqualTo(1);
        assertThat(gunzip(out.toByteArray())).isEqualTo(content);
    }

    @Test
    void piecesLargerThanTheBufferAreWrittenAsTheyAre() throws Exception {
        byte[] content = new byte[200_000]; // incompressible: its blocks are larger than the 64 KiB buffer
        new Random(5).nextBytes(content);
        CountingStream out = new CountingStream();
        try (GzipMember gzip = new GzipMember(6); BlockDeflater ahead = new BlockDeflater(6)) {
            gzip.start(out);
            gzip.write(content, 0, 50_000);
            splice(gzip, ahead, content, 50_000, 150_000, 0);
            gzip.finish();
        }
        assertThat(gunzip(out.toByteArray())).isEqualTo(content);
        assertThat(out.writes).as("the buffered start, the piece, the end").isEqualTo(3);
    }

    @Test
    void oneMemberAtATime() throws Exception {
        try (GzipMember gzip = new GzipMember(6)) {
            gzip.start(new ByteArrayOutputStream());
            assertThatThrownBy(() -> gzip.start(new ByteArrayOutputStream())).isInstanceOf(IllegalStateException.class);
            gzip.abandon();
            byte[] content = "after an abandoned member".getBytes();
            assertThat(gunzip(member(gzip, content, 5))).isEqualTo(content);
        }
    }
}
