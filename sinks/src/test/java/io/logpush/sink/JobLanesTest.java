package io.logpush.sink;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobLanesTest {

    @Test
    void laneZeroIsTheJobIdAndEveryKeyNamesItsJobAndLane() {
        assertThat(JobLanes.key(42, 0)).isEqualTo(42);
        for (long job : new long[] {1, 42, JobLanes.MAX_JOB_ID}) {
            for (int lane : new int[] {0, 1, 7, 255}) {
                long key = JobLanes.key(job, lane);
                assertThat(JobLanes.jobOf(key)).isEqualTo(job);
                assertThat(JobLanes.laneOf(key)).isEqualTo(lane);
            }
        }
        assertThat(JobLanes.describe(JobLanes.key(42, 3))).isEqualTo("42 (lane 3)");
        assertThat(JobLanes.describe(42)).isEqualTo("42");
    }

    @Test
    void keysOfDifferentJobsAndLanesNeverCollide() {
        Set<Long> keys = new HashSet<>();
        LongStream.rangeClosed(1, 300).forEach(job -> {
            for (int lane = 0; lane < 256; lane++) {
                assertThat(keys.add(JobLanes.key(job, lane))).as("job %d lane %d", job, lane).isTrue();
            }
        });
    }

    @Test
    void rejectsLanesOutOfRangeAndFurtherLanesOfIdsTooLargeForThem() {
        assertThatThrownBy(() -> JobLanes.key(1, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobLanes.key(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobLanes.key(JobLanes.MAX_JOB_ID + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(JobLanes.key(Long.MAX_VALUE, 0)).as("any id has lane 0").isEqualTo(Long.MAX_VALUE);
        assertThat(JobLanes.keys(Long.MAX_VALUE, 4, 128, 4)).as("such a job keeps one lane").containsExactly(Long.MAX_VALUE);
        assertThatThrownBy(() -> JobLanes.keys(1, JobLanes.MAX_LANES + 1, 128, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJobsLanesAreBufferedByDifferentInstances() {
        int[][] lanesAndParallelism = {{2, 2}, {2, 3}, {4, 4}, {4, 10}, {8, 8}, {16, 16}, {16, 24}};
        for (int[] setting : lanesAndParallelism) {
            int lanes = setting[0];
            int parallelism = setting[1];
            for (long job = 1; job <= 500; job++) {
                long[] keys = JobLanes.keys(job, lanes, 128, parallelism);
                assertThat(keys).hasSize(lanes).doesNotHaveDuplicates().startsWith(job);
                assertThat(JobLanes.keys(job, lanes, 128, parallelism)).as("deterministic").isEqualTo(keys);
                Set<Integer> instances = new HashSet<>();
                for (long key : keys) {
                    instances.add(KeyGroupRangeAssignment.assignKeyToParallelOperator(key, 128, parallelism));
                }
                assertThat(instances).as("instances of job %d's %d lanes at parallelism %d", job, lanes, parallelism).hasSize(lanes);
            }
        }
    }

    @Test
    void aLanesBatchSequencesNameTheirLane() {
        long key = JobLanes.key(42, 9);
        long first = JobLanes.firstSequence(key);
        assertThat(JobLanes.firstSequence(42)).isZero();
        assertThat(JobLanes.laneOfSequence(first + 1_000_000)).isEqualTo(9);
        BatchDescriptor batch = new BatchDescriptor(42, 1, first + 5, "file:///out", Instant.EPOCH, Instant.EPOCH, 1, 10);
        assertThat(batch.lane()).isEqualTo(9);
        assertThat(batch.laneKey()).isEqualTo(key);
        BatchDescriptor laneZero = new BatchDescriptor(42, 1, 5, "file:///out", Instant.EPOCH, Instant.EPOCH, 1, 10);
        assertThat(laneZero.laneKey()).isEqualTo(42);
        assertThat(batch.objectName(Compression.GZIP)).as("the same job, time range and count in another lane")
                .isNotEqualTo(laneZero.objectName(Compression.GZIP));
    }
}
