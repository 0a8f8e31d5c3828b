package io.logpush.bench;

import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The mid-run rate: which counters it reads, and how it times the marks between samples. */
class ReadProgressTest {

    private static final long SECOND = 1_000_000_000L;

    /** A metric group with the scope variables Flink gives an operator's metrics. */
    private static UnregisteredMetricsGroup operator(String job, String name) {
        return new UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of(ScopeFormat.SCOPE_JOB_ID, job, ScopeFormat.SCOPE_OPERATOR_NAME, name);
            }
        };
    }

    @Test
    void readsOnlyTheEventsSourcesRecordsOutOfItsOwnJob() {
        BenchMetricsReporter reporter = new BenchMetricsReporter();
        SimpleCounter first = new SimpleCounter();
        SimpleCounter second = new SimpleCounter();
        first.inc(30);
        second.inc(12);
        reporter.notifyOfAddedMetric(first, "numRecordsOut", operator("job-a", ReadProgress.SOURCE_OPERATOR));
        reporter.notifyOfAddedMetric(second, "numRecordsOut", operator("job-a", ReadProgress.SOURCE_OPERATOR));
        reporter.notifyOfAddedMetric(counterOf(500), "numRecordsOut", operator("job-a", "Source: Config topic"));
        reporter.notifyOfAddedMetric(counterOf(700), "numRecordsIn", operator("job-a", ReadProgress.SOURCE_OPERATOR));
        reporter.notifyOfAddedMetric(counterOf(900), "numRecordsOut", operator("job-b", ReadProgress.SOURCE_OPERATOR));

        assertThat(ReadProgress.readSoFar("job-a")).as("both source subtasks, nothing else").isEqualTo(42);
        first.inc(8);
        assertThat(ReadProgress.readSoFar("job-a")).as("read live").isEqualTo(50);
    }

    private static SimpleCounter counterOf(long count) {
        SimpleCounter counter = new SimpleCounter();
        counter.inc(count);
        return counter;
    }

    @Test
    void timesEachMarkBetweenTheSamplesEitherSideOfIt() {
        ReadProgress.Crossings crossings = new ReadProgress.Crossings(10, 90);
        crossings.sample(0, 0);
        crossings.sample(SECOND, 50); // passed 10 at 0.2 s
        assertThat(crossings.perSecond()).as("only one mark passed").isNaN();
        crossings.sample(2 * SECOND, 150); // passed 90 at 1.4 s
        crossings.sample(3 * SECOND, 1_000);
        assertThat(crossings.perSecond()).isCloseTo(80 / 1.2, within(1e-6));
    }

    @Test
    void bothMarksPassedBetweenTwoSamplesStillGiveTheRateBetweenThem() {
        ReadProgress.Crossings crossings = new ReadProgress.Crossings(10, 90);
        crossings.sample(0, 0);
        crossings.sample(SECOND / 2, 100);
        assertThat(crossings.perSecond()).isCloseTo(200, within(1e-6));
    }

    @Test
    void aCountFirstSeenPastBothMarksHasNoRate() {
        ReadProgress.Crossings crossings = new ReadProgress.Crossings(10, 90);
        crossings.sample(SECOND, 100);
        crossings.sample(2 * SECOND, 100);
        assertThat(crossings.perSecond()).as("the run was over before the first sample").isNaN();
    }
}
