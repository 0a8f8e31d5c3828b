package io.logpush.config.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * When the config guard holds removals: more than {@code maxRemovedFraction} of the active jobs
 * removed or disabled within {@code window}, or all of them. Removals that arrive within
 * {@code decisionDelay} of each other are judged together, so a burst is held as a whole instead of
 * being let through up to the threshold.
 */
public record GuardSettings(double maxRemovedFraction, Duration window, Duration decisionDelay) implements java.io.Serializable {

    /** 20% within 5 minutes, judged in groups gathered over 5 seconds. */
    public static final GuardSettings DEFAULT = new GuardSettings(0.2, Duration.ofMinutes(5), Duration.ofSeconds(5));

    public GuardSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(decisionDelay, "decisionDelay");
        if (!(maxRemovedFraction >= 0 && maxRemovedFraction < 1)) {
            throw new IllegalArgumentException("maxRemovedFraction must be in [0, 1)");
        }
        if (window.isNegative() || window.isZero() || decisionDelay.isNegative()) {
            throw new IllegalArgumentException("window must be positive and decisionDelay not negative");
        }
    }
}
