package io.logpush.config.guard;

/** What the guard did with one change. */
public record Decision(ConfigChange change, Verdict verdict) {

    /** The possible outcomes for a change. */
    public enum Verdict {
        /** Apply now. */
        APPLY,
        /** A removal waiting, for at most the decision delay, to be judged with the removals around it. */
        PENDING,
        /** Held: it would remove too many jobs at once; waits for a confirmation. */
        HOLD,
        /** A pending or held removal superseded by a newer change of the same job. */
        CANCEL
    }
}
