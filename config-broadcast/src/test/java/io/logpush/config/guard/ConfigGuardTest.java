package io.logpush.config.guard;

import io.logpush.config.topic.ChangeId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static io.logpush.config.guard.Decision.Verdict.APPLY;
import static io.logpush.config.guard.Decision.Verdict.CANCEL;
import static io.logpush.config.guard.Decision.Verdict.HOLD;
import static io.logpush.config.guard.Decision.Verdict.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

/** The config guard: blank and mass removals are held, normal churn flows. */
class ConfigGuardTest {

    private static final Instant T0 = Instant.parse("2024-11-14T10:00:00Z");
    private static final Duration DELAY = GuardSettings.DEFAULT.decisionDelay();

    private ConfigGuard guard;
    private long version;

    @BeforeEach
    void hundredActiveJobs() {
        guard = new ConfigGuard(GuardSettings.DEFAULT);
        for (long job = 1; job <= 100; job++) {
            assertThat(verdicts(guard.offer(upsert(job, true, T0)))).containsExactly(APPLY);
        }
        assertThat(guard.activeJobs()).isEqualTo(100);
    }

    private ConfigChange upsert(long job, boolean enabled, Instant at) {
        return ConfigChange.upsert(job, ++version, at, "{\"id\":" + job + "}", enabled);
    }

    private ConfigChange delete(long job, Instant at) {
        return ConfigChange.delete(job, ++version, at);
    }

    /** Deletes jobs 1..n in a burst at {@code at}, then lets the decision delay pass. */
    private List<Decision> removeBurst(long n, Instant at) {
        List<Decision> decisions = new ArrayList<>();
        LongStream.rangeClosed(1, n).forEach(job -> decisions.addAll(guard.offer(delete(job, at))));
        decisions.addAll(guard.advanceTo(at.plus(DELAY)));
        return decisions;
    }

    private static List<Decision.Verdict> verdicts(List<Decision> decisions) {
        return decisions.stream().map(Decision::verdict).toList();
    }

    private static long count(List<Decision> decisions, Decision.Verdict verdict) {
        return decisions.stream().filter(d -> d.verdict() == verdict).count();
    }

    @Test
    void removingNineteenPercentApplies() {
        List<Decision> decisions = removeBurst(19, T0.plusSeconds(60));
        assertThat(count(decisions, PENDING)).isEqualTo(19);
        assertThat(count(decisions, APPLY)).isEqualTo(19);
        assertThat(guard.held()).isEmpty();
        assertThat(guard.activeJobs()).isEqualTo(81);
    }

    @Test
    void removingTwentyOnePercentHoldsEveryOneOfThem() {
        List<Decision> decisions = removeBurst(21, T0.plusSeconds(60));
        assertThat(count(decisions, HOLD)).isEqualTo(21);
        assertThat(count(decisions, APPLY)).as("none slips through before the threshold").isZero();
        assertThat(guard.activeJobs()).isEqualTo(100);
        assertThat(guard.held()).extracting(ConfigChange::jobId).containsExactlyElementsOf(LongStream.rangeClosed(1, 21).boxed().toList());
    }

    @Test
    void aBlankConfigIsAlwaysHeld() {
        List<Decision> decisions = removeBurst(100, T0.plusSeconds(60));
        assertThat(count(decisions, HOLD)).isEqualTo(100);
        assertThat(guard.activeJobs()).isEqualTo(100);
    }

    @Test
    void removingTheLastJobsIsHeldEvenWhenFew() {
        ConfigGuard small = new ConfigGuard(GuardSettings.DEFAULT);
        small.offer(ConfigChange.upsert(1, 1, T0, "{}", true));
        small.offer(ConfigChange.delete(1, 2, T0));
        assertThat(verdicts(small.advanceTo(T0.plus(DELAY)))).containsExactly(HOLD);
    }

    @Test
    void removalsAddUpWithinTheWindowAndNotAcrossIt() {
        assertThat(count(removeBurst(15, T0.plusSeconds(60)), APPLY)).isEqualTo(15);
        // 15 + 10 = 25 of the 100 that were active at the window's start: held.
        List<Decision> second = new ArrayList<>();
        for (long job = 16; job <= 25; job++) {
            second.addAll(guard.offer(delete(job, T0.plusSeconds(120))));
        }
        second.addAll(guard.advanceTo(T0.plusSeconds(120).plus(DELAY)));
        assertThat(count(second, HOLD)).isEqualTo(10);

        ConfigGuard fresh = new ConfigGuard(GuardSettings.DEFAULT);
        for (long job = 1; job <= 100; job++) {
            fresh.offer(ConfigChange.upsert(job, job, T0, "{}", true));
        }
        LongStream.rangeClosed(1, 15).forEach(job -> fresh.offer(ConfigChange.delete(job, 100 + job, T0.plusSeconds(60))));
        fresh.advanceTo(T0.plusSeconds(60).plus(DELAY));
        Instant later = T0.plusSeconds(60).plus(GuardSettings.DEFAULT.window()).plusSeconds(10);
        LongStream.rangeClosed(16, 25).forEach(job -> fresh.offer(ConfigChange.delete(job, 200 + job, later)));
        assertThat(count(fresh.advanceTo(later.plus(DELAY)), APPLY)).as("the first burst left the window").isEqualTo(10);
    }

    @Test
    void confirmAppliesExactlyTheNamedChanges() {
        removeBurst(30, T0.plusSeconds(60));
        List<ChangeId> confirmed = guard.held().subList(0, 25).stream().map(ConfigChange::id).toList();
        List<Decision> decisions = guard.confirm(confirmed);
        assertThat(verdicts(decisions)).hasSize(25).containsOnly(APPLY);
        assertThat(guard.held()).hasSize(5);
        assertThat(guard.activeJobs()).isEqualTo(75);
        assertThat(guard.confirm(List.of(new ChangeId(26, 9999)))).as("a wrong version confirms nothing").isEmpty();
    }

    @Test
    void reUpsertingAJobCancelsItsHeldRemoval() {
        removeBurst(30, T0.plusSeconds(60));
        List<Decision> decisions = guard.offer(upsert(7, true, T0.plusSeconds(90)));
        assertThat(decisions).extracting(d -> d.change().jobId() + ":" + d.verdict()).containsExactly("7:" + CANCEL, "7:" + APPLY);
        assertThat(guard.held()).hasSize(29).extracting(ConfigChange::jobId).doesNotContain(7L);
    }

    @Test
    void whileChangesAreHeldFurtherRemovalsAreHeldToo() {
        removeBurst(30, T0.plusSeconds(60));
        assertThat(verdicts(guard.offer(delete(99, T0.plusSeconds(600))))).containsExactly(HOLD);
    }

    @Test
    void addingAndUpdatingJobsIsNeverHeld() {
        removeBurst(100, T0.plusSeconds(60));
        assertThat(verdicts(guard.offer(upsert(500, true, T0.plusSeconds(70))))).containsExactly(APPLY);
        assertThat(verdicts(guard.offer(upsert(501, false, T0.plusSeconds(70))))).containsExactly(APPLY);
    }

    @Test
    void disablingCountsAsRemovingAndRemovingAnInactiveJobDoesNot() {
        assertThat(verdicts(guard.offer(upsert(1, false, T0.plusSeconds(60))))).containsExactly(PENDING);
        assertThat(verdicts(guard.offer(upsert(501, false, T0.plusSeconds(60))))).containsExactly(APPLY);
        assertThat(verdicts(guard.offer(delete(501, T0.plusSeconds(60))))).containsExactly(APPLY);
    }

    @Test
    void aLaterRecordClosesTheDecisionWithoutATimer() {
        guard.offer(delete(1, T0.plusSeconds(60)));
        List<Decision> decisions = guard.offer(upsert(200, true, T0.plusSeconds(60).plus(DELAY)));
        assertThat(decisions).extracting(d -> d.change().jobId() + ":" + d.verdict()).containsExactly("1:" + APPLY, "200:" + APPLY);
    }

    @Test
    void aRestoredGuardDecidesLikeTheOriginal() {
        LongStream.rangeClosed(1, 30).forEach(job -> guard.offer(delete(job, T0.plusSeconds(60))));
        ConfigGuard restored = ConfigGuard.restore(GuardSettings.DEFAULT, guard.snapshot());
        assertThat(restored.nextDecisionAt()).isEqualTo(guard.nextDecisionAt());
        assertThat(verdicts(restored.advanceTo(T0.plusSeconds(60).plus(DELAY))))
                .isEqualTo(verdicts(guard.advanceTo(T0.plusSeconds(60).plus(DELAY))));
        assertThat(restored.snapshot()).isEqualTo(guard.snapshot());
    }
}
