package io.logpush.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README command 1, shortened: the demo runs on its embedded default and delivers every event
 * exactly once, starting from an empty output folder whatever an earlier run left there.
 */
class DemoITCase {

    @TempDir
    Path out;

    @Test
    void theDemoDeliversEveryGeneratedEventOfEverySampleJobExactlyOnce() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // An earlier run's output: this run must not count it as its own delivery.
        Path leftover = out.resolve("objects/job-1/20241114/20241114T100000Z_20241114T100005Z_0000.log.gz");
        Files.createDirectories(leftover.getParent());
        Files.write(leftover, new byte[] {1, 2, 3});
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new DemoCommand()).execute("--seconds", "12", "--rate", "1000", "--out", out.toString(),
                    "--web-ui-port", Integer.toString(port));
        } finally {
            System.setOut(stdout);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(exit).isZero();
        assertThat(leftover).doesNotExist();
        assertThat(output).contains("Removed the previous run's " + out.toAbsolutePath().resolve("objects"));
        assertThat(output).contains("Every generated event of every sample job was delivered exactly once.")
                .containsPattern("(?m)^1 +zone-00000 +[1-9][0-9,]* +[1-9][0-9,]* +0 +[1-9]\\d* +ok$");
    }
}
