package io.logpush.job.functions;

import io.logpush.sink.JobLanes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LaneSpreaderTest {

    private static final long JOB = 7;
    private static final HotJobs FOUR_LANES_ABOVE_100 = new HotJobs(4, 100, 128, 4);

    /** A clock the test moves. */
    private long now = 1_000_000;

    private List<Long> next(LaneSpreader spreader, int records, long millisEach) {
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            now += millisEach;
            keys.add(spreader.next());
        }
        return keys;
    }

    @Test
    void aJobBelowTheHotRateStaysInLaneZero() {
        LaneSpreader spreader = new LaneSpreader(JOB, FOUR_LANES_ABOVE_100, () -> now);
        assertThat(next(spreader, 1_000, 11)).as("100 records take 1.1 s").containsOnly(JOB);
        assertThat(spreader.lanesOpened()).isFalse();
        assertThat(spreader.openedLaneKeys()).isEmpty();
    }

    @Test
    void aHotJobTakesEachOfItsLanesInTurnAndOpensThemOnce() {
        LaneSpreader spreader = new LaneSpreader(JOB, FOUR_LANES_ABOVE_100, () -> now);
        assertThat(next(spreader, 199, 1)).as("a window to open the lanes, one while their frames travel").containsOnly(JOB);
        assertThat(spreader.lanesOpened()).as("the first time").isTrue();
        assertThat(spreader.lanesOpened()).as("only once").isFalse();
        long[] lanes = JobLanes.keys(JOB, 4, 128, 4);
        List<Long> hot = next(spreader, 400, 1);
        assertThat(spreader.openedLaneKeys()).containsExactly(lanes[1], lanes[2], lanes[3]);
        assertThat(hot.subList(0, 8)).containsExactly(lanes[0], lanes[1], lanes[2], lanes[3], lanes[0], lanes[1], lanes[2], lanes[3]);
        for (long lane : lanes) {
            assertThat(hot).as("an even share for lane %d", lane).filteredOn(key -> key == lane).hasSize(100);
        }
    }

    @Test
    void aJobCoolsDownAfterAWindowSlowerThanASecondAndKeepsItsLanesForTheNextSurge() {
        LaneSpreader spreader = new LaneSpreader(JOB, FOUR_LANES_ABOVE_100, () -> now);
        assertThat(next(spreader, 300, 1)).as("spread").contains(JobLanes.keys(JOB, 4, 128, 4)[3]);
        assertThat(spreader.lanesOpened()).isTrue();
        List<Long> slowing = next(spreader, 200, 20);
        assertThat(slowing.subList(100, 200)).as("after 100 records in 2 s").containsOnly(JOB);
        next(spreader, 100, 1);
        assertThat(next(spreader, 4, 1)).as("hot again").doesNotHaveDuplicates();
        assertThat(spreader.lanesOpened()).as("the lanes have their frames already").isFalse();
    }

    @Test
    void underANewConfigAHotJobStaysSpreadOverTheSameLanes() {
        LaneSpreader former = new LaneSpreader(JOB, FOUR_LANES_ABOVE_100, () -> now);
        next(former, 300, 1);
        assertThat(former.lanesOpened()).isTrue();
        LaneSpreader spreader = new LaneSpreader(JOB, FOUR_LANES_ABOVE_100, () -> now);
        spreader.continueFrom(former);
        long[] lanes = JobLanes.keys(JOB, 4, 128, 4);
        assertThat(next(spreader, 4, 1)).containsExactlyInAnyOrder(lanes[0], lanes[1], lanes[2], lanes[3]);
        assertThat(spreader.lanesOpened()).as("they have the job's frames").isFalse();
        assertThat(spreader.openedLaneKeys()).as("and get its next change").hasSize(3);
    }

    @Test
    void oneLaneNeverSpreadsAndNeverReadsTheClock() {
        LaneSpreader spreader = new LaneSpreader(JOB, HotJobs.ONE_LANE, () -> {
            throw new AssertionError("the clock was read");
        });
        for (int i = 0; i < 100_000; i++) {
            assertThat(spreader.next()).isEqualTo(JOB);
        }
    }

    @Test
    void lanesFromBeforeARestoreHearOfChangesTooAlongsideTheLanesOpenedSince() {
        long[] before = JobLanes.keys(JOB, 4, 128, 2); // spread at another parallelism
        LaneSpreader spreader = new LaneSpreader(JOB, FOUR_LANES_ABOVE_100, () -> now);
        spreader.restoreLanes(new long[] {before[1], before[2]});
        spreader.restoreLanes(new long[] {before[2]}); // the same lane restored by two instances' state
        assertThat(spreader.openedLaneKeys()).as("restored, not opened").containsExactly(before[1], before[2]);
        assertThat(next(spreader, 10, 1_000)).as("and not used for records").containsOnly(JOB);

        next(spreader, 300, 1);
        assertThat(spreader.lanesOpened()).as("its lanes at this parallelism get the frame when it runs hot").isTrue();
        long[] now = JobLanes.keys(JOB, 4, 128, 4);
        assertThat(spreader.openedLaneKeys()).as("every lane that may hold its batches, once each")
                .containsOnly(before[1], before[2], now[1], now[2], now[3])
                .doesNotHaveDuplicates()
                .doesNotContain(JOB);
    }
}
