package io.logpush.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmUpTest {

    private final WarmUp warmUp = new WarmUp(3, 8);

    @Test
    void runsAtLeastTheMinimum() {
        assertThat(warmUp.done(List.of())).isFalse();
        assertThat(warmUp.done(List.of(100.0, 100.0))).isFalse();
        assertThat(warmUp.done(List.of(100.0, 100.0, 100.0))).isTrue();
    }

    @Test
    void goesOnWhileARunGainsMoreThanFivePercentOnTheOneBefore() {
        // Our pipeline on the mix this way (steps.md §33): warm from the fifth run on.
        assertThat(warmUp.done(List.of(310_926.0, 490_148.0, 651_126.0))).isFalse();
        assertThat(warmUp.done(List.of(310_926.0, 490_148.0, 651_126.0, 814_332.0))).isFalse();
        assertThat(warmUp.done(List.of(310_926.0, 490_148.0, 651_126.0, 814_332.0, 846_597.0))).isTrue();
        assertThat(warmUp.done(List.of(100.0, 200.0, 150.0))).as("a slower run is no gain").isTrue();
    }

    @Test
    void stopsAtTheMaximum() {
        assertThat(warmUp.done(List.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0))).isFalse();
        assertThat(warmUp.done(List.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0))).isTrue();
        assertThat(WarmUp.NONE.done(List.of())).isTrue();
        assertThat(new WarmUp(1, 1).done(List.of(5.0))).isTrue();
    }

    @Test
    void refusesAMaximumBelowTheMinimum() {
        assertThatThrownBy(() -> new WarmUp(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarmUp(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
