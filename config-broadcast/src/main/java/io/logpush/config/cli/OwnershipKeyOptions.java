package io.logpush.config.cli;

import io.logpush.config.ownership.OwnershipSigner;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The deployment's ownership-challenge key as a command-line option, shared by the job, the config
 * CLI and {@code logpush config challenge}. The key lives in a file the deployment controls, never
 * on the config topic.
 */
public final class OwnershipKeyOptions {

    @Option(names = "--ownership-key-file", paramLabel = "FILE",
            description = "Key that signs ownership challenges (at least 32 bytes, e.g. from `head -c 32 /dev/urandom | base64`). "
                    + "When given, every job needs a valid ownership_challenge for its owner and destination.")
    Path keyFile;

    /** The signer, or null when no key file was given. */
    public OwnershipSigner signer() {
        if (keyFile == null) {
            return null;
        }
        try {
            String key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            return OwnershipSigner.withKey(key.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ownership key file " + keyFile, e);
        }
    }
}
