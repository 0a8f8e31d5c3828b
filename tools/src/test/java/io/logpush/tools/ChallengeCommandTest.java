package io.logpush.tools;

import io.logpush.config.cli.Cli;
import io.logpush.config.ownership.OwnershipSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code logpush config challenge}: where the token goes, and that the job's deployment accepts it. */
class ChallengeCommandTest {

    private static final String KEY = "the deployment's key: 32 bytes or more";

    @TempDir
    Path dir;

    @Test
    void writesATokenTheDeploymentAcceptsForThatOwnerAndDestination() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("ownership.key"), KEY + "\n");
        String destination = dir.toUri().toString().replaceAll("/$", "") + "/customer/http/{DATE}";
        int code = Cli.commandLine(new ChallengeCommand()).execute("--destination", destination, "--owner", "zone:abc123",
                "--ttl", "1h", "--ownership-key-file", keyFile.toString());
        assertThat(code).isZero();
        String token = Files.readString(dir.resolve("customer/http/ownership-challenge.txt"), StandardCharsets.UTF_8);
        OwnershipSigner signer = OwnershipSigner.withKey(KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(signer.check(token, "zone:abc123", destination, Instant.now())).isEmpty();
        assertThat(signer.check(token, "zone:abc123", destination, Instant.now().plusSeconds(3601))).get().asString()
                .startsWith("expired at");
    }

    @Test
    void theTokenGoesBesideTheDatedFolders() {
        assertThat(ChallengeCommand.challengeLocation("s3://bucket/logs/{DATE}?region=us-east-1"))
                .isEqualTo("s3://bucket/logs/ownership-challenge.txt");
        assertThat(ChallengeCommand.challengeLocation("s3://bucket/{DATE}/http")).isEqualTo("s3://bucket/ownership-challenge.txt");
        assertThat(ChallengeCommand.challengeLocation("file:///var/logs/zone-1"))
                .isEqualTo("file:///var/logs/zone-1/ownership-challenge.txt");
    }

    @Test
    void withoutTheKeyItRefusesInOneLine() {
        StringWriter err = new StringWriter();
        var cli = Cli.commandLine(new ChallengeCommand());
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("--destination", "file:///tmp/x/{DATE}", "--owner", "zone:abc");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--ownership-key-file is required");
    }
}
