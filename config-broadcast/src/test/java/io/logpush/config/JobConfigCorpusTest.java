package io.logpush.config;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the config corpus in {@code src/test/resources/configs}: every file in {@code valid/} parses,
 * and every file in {@code invalid/} is refused with exactly the errors in its {@code .expected}.
 */
class JobConfigCorpusTest {

    private final JobConfigParser parser = new JobConfigParser(DeploymentPolicy.DEFAULT);

    @TestFactory
    Stream<DynamicTest> validConfigsParse() {
        return corpus("valid").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ParseResult result = parser.parse(Files.readString(file));
            assertThat(result.errors()).isEmpty();
            assertThat(result.job()).isPresent();
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidConfigsAreRefusedWithTheExpectedErrors() {
        List<Path> files = corpus("invalid").toList();
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Path expectedFile = Paths.get(file.toString().replaceAll("\\.json$", ".expected"));
            List<String> expected = Files.readAllLines(expectedFile);
            ParseResult result = parser.parse(Files.readString(file));
            assertThat(result.job()).isEmpty();
            assertThat(result.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(expected);
        }));
    }

    static Stream<Path> corpus(String folder) {
        try {
            Path dir = Paths.get(JobConfigCorpusTest.class.getResource("/configs/" + folder).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
