package io.logpush.sink.writer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32CombineTest {

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    @ParameterizedTest(name = "{0} + {1} bytes")
    @CsvSource({"0, 0", "0, 5", "5, 0", "1, 1", "100, 37", "32768, 32768", "70000, 1000003"})
    void theCombinedChecksumIsTheChecksumOfTheJoinedContent(int lengthA, int lengthB) {
        byte[] content = new byte[lengthA + lengthB];
        new Random(lengthA * 31L + lengthB).nextBytes(content);
        int combined = Crc32Combine.combine(crc(content, 0, lengthA), crc(content, lengthA, lengthB), lengthB);
        assertThat(combined).isEqualTo(crc(content, 0, content.length));
    }
}
