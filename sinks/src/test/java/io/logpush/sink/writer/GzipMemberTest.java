package io.logpush.sink.writer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One reused compressor writes members that any gzip reader reads back exactly. */
class GzipMemberTest {

    private static byte[] gunzip(byte[] gzip) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
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
        StringBuilder log = new StringBuilder();
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            log.append("{\"RayID\":\"").append(Long.toHexString(random.nextLong())).append("\",\"EdgeResponseStatus\":")
                    .append(200 + random.nextInt(5) * 100).append(",\"ClientRequestPath\":\"/api/v").append(random.nextInt(3))
                    .append("/item/").append(random.nextInt(10_000)).append("\"}\n");
        }
        byte[] content = log.toString().getBytes();
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
