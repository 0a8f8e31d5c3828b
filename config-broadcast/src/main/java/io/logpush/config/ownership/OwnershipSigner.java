package io.logpush.config.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues and checks ownership-challenge tokens, as Cloudflare's Logpush does: a token written into
 * a destination proves that whoever reads it back can read that destination. A token names the
 * owner, the exact {@code destination_conf} and an expiry, and is signed with HMAC-SHA256 under the
 * deployment's key: {@code v1.<base64url(payload JSON)>.<base64url(signature)>}.
 *
 * <p>The key is deployment configuration (a key file given to the job and the CLI), never part of
 * the config topic, so a customer can neither read nor forge it.
 */
public final class OwnershipSigner implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A key shorter than the hash's output would be the weakest part. */
    public static final int MIN_KEY_BYTES = 32;

    private final byte[] key;

    private OwnershipSigner(byte[] key) {
        this.key = key;
    }

    /** A signer with {@code key}, which must have at least {@value #MIN_KEY_BYTES} bytes. */
    public static OwnershipSigner withKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("an ownership key needs at least " + MIN_KEY_BYTES + " bytes, got " + key.length);
        }
        return new OwnershipSigner(key.clone());
    }

    /** A token for {@code owner} (e.g. {@code zone:023e105f...}) and {@code destinationConf}, valid until {@code expires}. */
    public String issue(String owner, String destinationConf, Instant expires) {
        ObjectNode payload = JSON.createObjectNode()
                .put("owner", owner)
                .put("destination", destinationConf)
                .put("expires", expires.toString());
        String body = VERSION + "." + base64(payload.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + base64(sign(body));
    }

    /**
     * Why {@code token} does not prove that {@code owner} may push to {@code destinationConf} at
     * {@code submittedAt}; empty if it does. The time is when the config was submitted (its
     * record's timestamp), so replaying the config topic later judges the same way.
     */
    public Optional<String> check(String token, String owner, String destinationConf, Instant submittedAt) {
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            return Optional.of("is not an ownership challenge token (expected v1.<payload>.<signature>)");
        }
        byte[] signature;
        JsonNode payload;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
            payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.of("is not an ownership challenge token: it does not decode");
        }
        if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
            return Optional.of("has a signature that does not match: it was altered, or signed with another deployment's key");
        }
        String tokenOwner = payload.path("owner").asText();
        if (!tokenOwner.equals(owner)) {
            return Optional.of("was issued for owner " + tokenOwner + ", not " + owner);
        }
        String tokenDestination = payload.path("destination").asText();
        if (!tokenDestination.equals(destinationConf)) {
            return Optional.of("was issued for destination " + tokenDestination + ", not " + destinationConf
                    + " (a new destination needs a new challenge)");
        }
        Instant expires;
        try {
            expires = Instant.parse(payload.path("expires").asText());
        } catch (DateTimeParseException e) {
            return Optional.of("has no valid expiry");
        }
        if (!submittedAt.isBefore(expires)) {
            return Optional.of("expired at " + expires + "; the config was submitted at " + submittedAt);
        }
        return Optional.empty();
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnershipSigner other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "OwnershipSigner[key hidden]";
    }
}
