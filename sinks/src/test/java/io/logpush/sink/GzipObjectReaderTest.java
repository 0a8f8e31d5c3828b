package io.logpush.sink;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An object is read as one gzip member, whole and checked, or refused with the reason. */
class GzipObjectReaderTest {

    private static final byte[] CONTENT = "{\"RayID\":\"r1\"}\n{\"RayID\":\"r2\"}\n".repeat(100).getBytes(StandardCharsets.UTF_8);

    private static byte[] member(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    @Test
    void oneMemberReadsBackExactly() throws Exception {
        assertThat(GzipObjectReader.read(member(CONTENT))).isEqualTo(CONTENT);
        assertThat(GzipObjectReader.read(member(new byte[0]))).isEmpty();
    }

    /** What the tests that read objects through it rely on: two members, which a reader of one would cut short, are refused. */
    @Test
    void twoMembersInOneObjectAreNotReadAsOne() throws Exception {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(member(CONTENT));
        both.write(member(CONTENT));
        byte[] twoMembers = both.toByteArray();
        assertThat(new GZIPInputStream(new ByteArrayInputStream(twoMembers)).readAllBytes())
                .as("a reader of all members").hasSize(2 * CONTENT.length);
        assertThatThrownBy(() -> GzipObjectReader.read(twoMembers))
                .isInstanceOf(IOException.class).hasMessageContaining("bytes after the first member's trailer");
    }

    @Test
    void aCutOrAlteredObjectIsRefusedWithTheReason() throws Exception {
        byte[] object = member(CONTENT);
        assertThatThrownBy(() -> GzipObjectReader.read(Arrays.copyOf(object, object.length - 3)))
                .hasMessageContaining("the trailer is cut short");
        assertThatThrownBy(() -> GzipObjectReader.read(Arrays.copyOf(object, object.length / 2)))
                .hasMessageContaining("ends before its final block");
        byte[] wrongLength = object.clone();
        wrongLength[wrongLength.length - 1] ^= 1;
        assertThatThrownBy(() -> GzipObjectReader.read(wrongLength)).hasMessageContaining("CRC-32 or length");
        assertThatThrownBy(() -> GzipObjectReader.read("{\"RayID\":\"r1\"}\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a gzip member");
    }
}
