package io.logpush.bench;

import java.util.List;

/**
 * How many unmeasured runs a contender makes before its measured ones on a workload: at least
 * {@code min}; then more while a run's steady rate still gains more than {@link #SETTLED_GAIN} on
 * the run before it, up to {@code max}. Contenders warm at different speeds: the ceiling settles
 * in three runs, our pipeline on the mix in five or more, its JIT compilers busy until then
 * (steps.md §33).
 */
record WarmUp(int min, int max) {

    /** A run's gain on the one before it under which the contender counts as warm. */
    static final double SETTLED_GAIN = 0.05;
    static final WarmUp NONE = new WarmUp(0, 0);

    WarmUp {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("warm-ups: at least " + min + ", at most " + max);
        }
    }

    /** Whether the warm-ups so far, by steady rate in run order, are enough. */
    boolean done(List<Double> steadyRates) {
        int runs = steadyRates.size();
        if (runs < min) {
            return false;
        }
        if (runs >= max || runs == 0) {
            return true;
        }
        return runs >= 2 && steadyRates.get(runs - 1) <= steadyRates.get(runs - 2) * (1 + SETTLED_GAIN);
    }
}
