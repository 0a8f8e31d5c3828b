package io.logpush.config.ownership;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ownership-challenge tokens: the one valid case and every way a token must be refused. */
class OwnershipSignerTest {

    private static final OwnershipSigner SIGNER = OwnershipSigner.withKey(
            "a deployment key of at least 32 bytes!".getBytes(StandardCharsets.UTF_8));
    private static final String OWNER = "zone:023e105f4ecef8ad9ca31a8372d0c353";
    private static final String DESTINATION = "s3://customer-logs/http/{DATE}?region=us-east-1";
    private static final Instant ISSUED = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant EXPIRES = ISSUED.plusSeconds(7 * 24 * 3600);

    private final String token = SIGNER.issue(OWNER, DESTINATION, EXPIRES);

    @Test
    void aValidTokenIsAccepted() {
        assertThat(token).startsWith("v1.").matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(SIGNER.check(token, OWNER, DESTINATION, ISSUED.plusSeconds(3600))).isEmpty();
        assertThat(SIGNER.check(token + "\n", OWNER, DESTINATION, ISSUED)).as("as read back from the file").isEmpty();
    }

    @Test
    void anotherOwnerIsRefused() {
        assertThat(SIGNER.check(token, "zone:someone-else", DESTINATION, ISSUED))
                .hasValue("was issued for owner " + OWNER + ", not zone:someone-else");
        assertThat(SIGNER.check(token, "account:023e105f4ecef8ad9ca31a8372d0c353", DESTINATION, ISSUED)).isPresent();
    }

    @Test
    void anotherDestinationIsRefused() {
        assertThat(SIGNER.check(token, OWNER, "s3://customer-logs/other/{DATE}?region=us-east-1", ISSUED)).get()
                .asString().startsWith("was issued for destination " + DESTINATION).contains("needs a new challenge");
    }

    @Test
    void anExpiredTokenIsRefusedJudgedAtSubmission() {
        assertThat(SIGNER.check(token, OWNER, DESTINATION, EXPIRES))
                .hasValue("expired at " + EXPIRES + "; the config was submitted at " + EXPIRES);
        assertThat(SIGNER.check(token, OWNER, DESTINATION, EXPIRES.minusMillis(1))).isEmpty();
    }

    @Test
    void forgedTokensAreRefused() {
        String[] parts = token.split("\\.");
        // The payload rewritten for another owner, the signature kept.
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"owner\":\"zone:attacker\",\"destination\":\"" + DESTINATION + "\",\"expires\":\"" + EXPIRES + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(SIGNER.check("v1." + otherPayload + "." + parts[2], "zone:attacker", DESTINATION, ISSUED)).get()
                .asString().contains("a signature that does not match");
        // Signed with another key.
        OwnershipSigner other = OwnershipSigner.withKey("another deployment's key, 32+ bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(SIGNER.check(other.issue(OWNER, DESTINATION, EXPIRES), OWNER, DESTINATION, ISSUED)).get()
                .asString().contains("a signature that does not match");
        // Not a token at all.
        assertThat(SIGNER.check("hello", OWNER, DESTINATION, ISSUED)).get().asString().contains("is not an ownership challenge");
        assertThat(SIGNER.check("v1.%%%.###", OWNER, DESTINATION, ISSUED)).get().asString().contains("does not decode");
        assertThat(SIGNER.check("v2." + parts[1] + "." + parts[2], OWNER, DESTINATION, ISSUED)).isPresent();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> OwnershipSigner.withKey(new byte[31])).hasMessageContaining("at least 32 bytes");
        assertThat(SIGNER.toString()).doesNotContain("deployment key");
    }
}
