package io.logpush.job;

import io.logpush.config.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code logpush run} finds the checkpoint to resume from, and what it refuses before starting. */
class LogpushJobMainTest {

    @TempDir
    Path dir;

    @Test
    void resumesFromTheNewestCompleteCheckpoint() throws Exception {
        Path older = Files.createDirectories(dir.resolve("job-a/chk-27"));
        Files.writeString(older.resolve("_metadata"), "x");
        older.resolve("_metadata").toFile().setLastModified(1_000_000);
        Path newer = Files.createDirectories(dir.resolve("job-b/chk-48"));
        Files.writeString(newer.resolve("_metadata"), "x");
        Files.createDirectories(dir.resolve("job-b/chk-49"));
        assertThat(LogpushJobMain.latestCheckpoint(dir.toUri().toString())).contains(newer.toUri().toString());
    }

    @Test
    void startsFreshWithoutCheckpoints() throws Exception {
        assertThat(LogpushJobMain.latestCheckpoint(dir.toUri().toString())).isEmpty();
        assertThat(LogpushJobMain.latestCheckpoint(dir.resolve("missing").toUri().toString())).isEmpty();
        assertThat(LogpushJobMain.latestCheckpoint("s3://bucket/checkpoints")).isEmpty();
    }

    @Test
    void anUnknownEventsDatasetIsRefusedBeforeAnythingStarts() {
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(new LogpushJobMain());
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--bootstrap-servers", "127.0.0.1:9", "--events-dataset", "http_request",
                "--checkpoint-dir", dir.resolve("checkpoints").toUri().toString());
        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--events-dataset: unknown dataset 'http_request'", "http_requests");
        assertThat(dir.resolve("checkpoints")).doesNotExist();
    }
}
