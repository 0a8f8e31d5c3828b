package io.logpush.tools;

import io.logpush.config.cli.Cli;
import io.logpush.config.cli.OwnershipKeyOptions;
import io.logpush.config.ownership.OwnershipSigner;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code logpush config challenge}: proves that a customer controls a destination, as Cloudflare's
 * ownership challenge does. Writes a signed, expiring token to {@code ownership-challenge.txt} at
 * the destination (the part of {@code destination_conf} before {@code {DATE}}); the customer reads
 * it back and puts it into the job's {@code ownership_challenge}.
 */
@Command(name = "logpush config challenge", mixinStandardHelpOptions = true, version = "logpush 0.1.0",
        description = "Write a signed, expiring ownership-challenge token into a destination.")
public final class ChallengeCommand implements Callable<Integer> {

    static final String FILE_NAME = "ownership-challenge.txt";

    @Option(names = "--destination", required = true, paramLabel = "URI",
            description = "The job's destination_conf, exactly, e.g. 's3://bucket/logs/{DATE}?region=us-east-1'.")
    String destination;

    @Option(names = "--owner", required = true, paramLabel = "zone:ID|account:ID", description = "The job's owner.")
    String owner;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "How long the token is valid, e.g. 7d, 1h (default: ${DEFAULT-VALUE}).")
    String ttl = "7d";

    @Mixin
    S3EndpointOption s3 = new S3EndpointOption();

    @Mixin
    OwnershipKeyOptions key = new OwnershipKeyOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Cli.run(new ChallengeCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        OwnershipSigner signer = key.signer();
        if (signer == null) {
            throw new CommandLine.ParameterException(cli, "--ownership-key-file is required: the deployment's signing key");
        }
        if (!owner.matches("(zone|account):[A-Za-z0-9-]{1,64}")) {
            throw new CommandLine.ParameterException(cli, "--owner must be zone:ID or account:ID, was " + owner);
        }
        Duration validFor = TimeUtils.parseDuration(ttl);
        Instant expires = Instant.now().plus(validFor);
        String token = signer.issue(owner, destination, expires);
        Path target = new Path(challengeLocation(destination));
        s3.initializeFileSystems();
        FileSystem fs = target.getFileSystem();
        fs.mkdirs(target.getParent());
        try (FSDataOutputStream out = fs.create(target, FileSystem.WriteMode.OVERWRITE)) {
            out.write((token + "\n").getBytes(StandardCharsets.UTF_8));
        }
        System.out.println("wrote " + target + " (valid until " + expires + ")");
        System.out.println("put its content into the job's \"ownership_challenge\"");
        return 0;
    }

    /** {@code ownership-challenge.txt} in the destination's directory, above any {@code {DATE}} segment. */
    static String challengeLocation(String destinationConf) {
        String path = destinationConf.replaceFirst("\\?.*$", "");
        int date = path.indexOf("{DATE}");
        if (date < 0) {
            return path.replaceAll("/+$", "") + "/" + FILE_NAME;
        }
        return path.substring(0, path.lastIndexOf('/', date) + 1) + FILE_NAME;
    }
}
