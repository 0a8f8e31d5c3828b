package io.logpush.job.functions;

import io.logpush.config.broadcast.ConfigBootstrap;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.JobTable;
import io.logpush.config.guard.GuardSettings;
import io.logpush.job.records.DeadLetter;
import io.logpush.job.records.RawEvent;
import io.logpush.job.records.RoutedRecord;
import io.logpush.job.testutils.JobConfigs;
import io.logpush.sink.JobLanes;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing: owner + dataset pick the jobs; filter, sample, encode per job; everything else counted or dead-lettered. */
class EventRouterTest {

    private static final String FILTER_5XX = "\"filter\":{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":500}}";

    private EventRouter router;
    private BroadcastOperatorTestHarness<RawEvent, ConfigUpdate, RoutedRecord> harness;
    private long offset;

    /** Jobs 1 and 2 for zone-a (job 2 only 5xx), job 3 for zone-b but disabled: all known from the bootstrap. */
    @BeforeEach
    void setUp() throws Exception {
        ConfigBootstrap bootstrap = (parser, settings) -> List.of(
                JobConfigs.upsert(1, 10, JobConfigs.json(1, "zone-a", "file:///tmp/j1", true, "")),
                JobConfigs.upsert(2, 11, JobConfigs.json(2, "zone-a", "file:///tmp/j2", true, FILTER_5XX)),
                JobConfigs.upsert(3, 12, JobConfigs.json(3, "zone-b", "file:///tmp/j3", false, "")));
        router = new EventRouter(JobConfigs.POLICY, GuardSettings.DEFAULT, bootstrap, 1_000, HotJobs.ONE_LANE);
        harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(router, JobTable.STATE);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void event(String owner, String dataset, String json) throws Exception {
        harness.processElement(new RawEvent(owner, dataset, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                1_000L, "events", 0, offset++), 1_000L);
    }

    private List<RoutedRecord> routed() {
        return harness.extractOutputValues();
    }

    private List<String> deadLetterReasons() {
        // The harness has no queue for a side output that was never written to.
        var letters = harness.getSideOutput(EventRouter.DEAD_LETTERS);
        return letters == null ? List.of() : letters.stream().map(StreamRecord::getValue).map(DeadLetter::reason).toList();
    }

    @Test
    void fansOutToEveryJobOfTheOwnerAndDatasetThatWantsTheEvent() throws Exception {
        event("zone-a", "http_requests", "{\"RayID\":\"r1\",\"EdgeResponseStatus\":503}");
        event("zone-a", "http_requests", "{\"RayID\":\"r2\",\"EdgeResponseStatus\":200}");
        assertThat(routed()).extracting(r -> r.laneKey() + ":" + new String(r.bytes(), StandardCharsets.UTF_8).trim()).containsExactly(
                "1:{\"RayID\":\"r1\",\"EdgeResponseStatus\":503}",
                "2:{\"RayID\":\"r1\",\"EdgeResponseStatus\":503}",
                "1:{\"RayID\":\"r2\",\"EdgeResponseStatus\":200}");
        assertThat(routed()).extracting(RoutedRecord::configVersion).containsExactly(10L, 11L, 10L);
        assertThat(router.counters.recordsFiltered.getCount()).isEqualTo(1);
    }

    @Test
    void eventsOfUnconfiguredOrDisabledOwnersAreCountedNotParsed() throws Exception {
        event("zone-z", "http_requests", "this is not even JSON");
        event("zone-b", "http_requests", "{\"RayID\":\"r\"}");
        event("zone-a", "dns_logs", "{}");
        assertThat(routed()).isEmpty();
        assertThat(deadLetterReasons()).isEmpty();
        assertThat(router.counters.eventsUnconfigured.getCount()).isEqualTo(3);
    }

    @Test
    void malformedEventsGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        event("", "http_requests", "{}");
        event("zone-a", "", "{}");
        event("zone-a", "http_request", "{}");
        event("zone-a", "http_requests", "{\"RayID\":");
        event("zone-a", "http_requests", "[1,2]");
        event("zone-a", "http_requests", "{\"RayID\":\"" + "x".repeat(2_000) + "\"}");
        event("zone-a", "http_requests", "{\"RayID\":\"a\",\"RayID\":\"b\"}");
        event("zone-a", "http_requests", null);
        assertThat(deadLetterReasons()).hasSize(8).satisfies(reasons -> {
            assertThat(reasons.get(0)).isEqualTo("missing owner: no record key or 'owner' header (the zone or account id)");
            assertThat(reasons.get(1)).isEqualTo("missing header 'dataset'");
            assertThat(reasons.get(2)).isEqualTo("unknown dataset 'http_request'");
            assertThat(reasons.get(3)).startsWith("not valid JSON: ");
            assertThat(reasons.get(4)).isEqualTo("not a JSON object");
            assertThat(reasons.get(5)).isEqualTo("event of 2012 bytes exceeds the limit of 1000");
            assertThat(reasons.get(6)).startsWith("not valid JSON: Duplicate field 'RayID'");
            assertThat(reasons.get(7)).isEqualTo("no value");
        });
        DeadLetter first = harness.getSideOutput(EventRouter.DEAD_LETTERS).peek().getValue();
        assertThat(first.topic() + "/" + first.partition() + "/" + first.offset()).isEqualTo("events/0/0");
        assertThat(routed()).isEmpty();
    }

    @Test
    void aWrongTypeForAFilteredFieldDeadLettersForThatJobOnly() throws Exception {
        event("zone-a", "http_requests", "{\"RayID\":\"r\",\"EdgeResponseStatus\":\"five hundred\"}");
        assertThat(routed()).extracting(RoutedRecord::laneKey).containsExactly(1L);
        assertThat(harness.getSideOutput(EventRouter.DEAD_LETTERS)).singleElement().satisfies(letter -> {
            assertThat(letter.getValue().jobId()).isEqualTo(2);
            assertThat(letter.getValue().reason()).isEqualTo("EdgeResponseStatus: expected an integer, was string");
        });
    }

    @Test
    void aHotJobIsSpreadOverItsLanesWhoseBuffersGetItsFramesFirstAndOnEveryChange() throws Exception {
        harness.close();
        // Above one record a second, that is any two records within a second: job 1 is hot from its first record.
        router = new EventRouter(JobConfigs.POLICY, GuardSettings.DEFAULT, (parser, settings) -> List.of(
                JobConfigs.upsert(1, 10, JobConfigs.json(1, "zone-a", "file:///tmp/j1", true, ""))), 1_000, new HotJobs(2, 1, 128, 2));
        harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(router, JobTable.STATE);
        long[] lanes = JobLanes.keys(1, 2, 128, 2);
        for (int i = 0; i < 5; i++) {
            event("zone-a", "http_requests", "{\"RayID\":\"r" + i + "\"}");
        }
        assertThat(routed()).as("lanes opened by the first record, spread from the second")
                .extracting(RoutedRecord::laneKey).containsExactly(lanes[0], lanes[0], lanes[1], lanes[0], lanes[1]);
        assertThat(laneFrames()).as("lane 1 gets the job's frame once").containsExactly(lanes[1] + "@10");
        assertThat(router.counters.hotJobsSpread.getCount()).isEqualTo(1);

        harness.processBroadcastElement(JobConfigs.upsert(1, 11, JobConfigs.json(1, "zone-a", "file:///tmp/new", true, "")), 1L);
        harness.processBroadcastElement(JobConfigs.delete(1, 12), 1L);
        assertThat(laneFrames()).as("then every change, the deletion too").containsExactly(
                lanes[1] + "@10", lanes[1] + "@11", lanes[1] + "@12 deleted");
    }

    /** Above one record a second, that is any two records within a second: job 1 is hot from its first record. */
    private static final HotJobs TWO_LANES_ABOVE_1 = new HotJobs(2, 1, 128, 2);
    private static final long[] JOB_1_LANES = JobLanes.keys(1, 2, 128, 2);

    /**
     * A router of job 1 alone, spread over {@link #TWO_LANES_ABOVE_1}: instance {@code index} of
     * {@code parallelism}, restored from {@code state} (null: a fresh start).
     */
    private void hotJobRouter(int parallelism, int index, OperatorSubtaskState state) throws Exception {
        router = new EventRouter(JobConfigs.POLICY, GuardSettings.DEFAULT, (parser, settings) -> List.of(
                JobConfigs.upsert(1, 10, JobConfigs.json(1, "zone-a", "file:///tmp/j1", true, ""))), 1_000, TWO_LANES_ABOVE_1);
        harness = new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(router, List.of(JobTable.STATE)),
                128, parallelism, index);
        if (state != null) {
            harness.initializeState(state);
        }
        harness.open();
    }

    /** Routes three records of job 1, which spreads it: lane 1 gets its frame. */
    private void spreadJob1() throws Exception {
        for (int i = 0; i < 3; i++) {
            event("zone-a", "http_requests", "{\"RayID\":\"r" + i + "\"}");
        }
        assertThat(laneFrames()).as("spread").containsExactly(JOB_1_LANES[1] + "@10");
    }

    @Test
    void aJobsLanesHearOfItsChangesAfterARestoreToo() throws Exception {
        harness.close();
        hotJobRouter(1, 0, null);
        spreadJob1();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1L);
        harness.close();

        // After the restore no record of the job has been routed, so nothing here opened lane 1: only the checkpoint knows it.
        hotJobRouter(1, 0, snapshot);
        harness.processBroadcastElement(JobConfigs.delete(1, 11), 1L);
        assertThat(laneFrames()).as("the deletion reaches lane 1, whose buffer may hold a batch")
                .containsExactly(JOB_1_LANES[1] + "@11 deleted");
        snapshot = harness.snapshot(2, 2L);
        harness.close();

        hotJobRouter(1, 0, snapshot);
        harness.processBroadcastElement(JobConfigs.upsert(1, 12, JobConfigs.json(1, "zone-a", "file:///tmp/j1", true, "")), 1L);
        assertThat(laneFrames()).as("a deleted job's lanes are forgotten: the job comes back with lane 0 only").isEmpty();
    }

    @Test
    void afterARescaleOneRouterTellsASpreadJobsLanes() throws Exception {
        harness.close();
        hotJobRouter(2, 1, null);
        OperatorSubtaskState quiet = harness.snapshot(1, 1L);
        harness.close();
        hotJobRouter(2, 0, null);
        spreadJob1();
        OperatorSubtaskState both = AbstractStreamOperatorTestHarness.repackageState(harness.snapshot(1, 1L), quiet);
        harness.close();

        List<String> told = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            if (index > 0) {
                harness.close(); // the last one is closed by tearDown
            }
            hotJobRouter(3, index, AbstractStreamOperatorTestHarness.repartitionOperatorState(both, 128, 2, 3, index));
            harness.processBroadcastElement(JobConfigs.delete(1, 11), 1L);
            told.addAll(laneFrames());
        }
        assertThat(told).as("one router of three tells lane 1 of the deletion").containsExactly(JOB_1_LANES[1] + "@11 deleted");
    }

    private List<String> laneFrames() {
        var frames = harness.getSideOutput(EventRouter.LANE_FRAMES);
        return frames == null ? List.of() : frames.stream().map(StreamRecord::getValue)
                .map(f -> f.laneKey() + "@" + f.frame().version() + (f.frame().frame() == null ? " deleted" : "")).toList();
    }

    @Test
    void broadcastUpdatesChangeRoutesAndStaleOnesAreIgnored() throws Exception {
        harness.processBroadcastElement(JobConfigs.upsert(3, 20, JobConfigs.json(3, "zone-b", "file:///tmp/j3", true, "")), 1L);
        harness.processBroadcastElement(JobConfigs.delete(1, 21), 1L);
        harness.processBroadcastElement(JobConfigs.upsert(1, 5, JobConfigs.json(1, "zone-a", "file:///tmp/old", true, "")), 1L);
        event("zone-b", "http_requests", "{\"RayID\":\"b\"}");
        event("zone-a", "http_requests", "{\"RayID\":\"a\",\"EdgeResponseStatus\":200}");
        assertThat(routed()).extracting(RoutedRecord::laneKey).containsExactly(3L);
        assertThat(harness.getBroadcastState(JobTable.STATE).get(1L).version()).isEqualTo(21);
    }

    @Test
    void anOwnersJobsOnOtherDatasetsOrWithOtherOptionsKeepTheirOwnRoutes() throws Exception {
        // Job 4: zone-a's dns_logs; job 5: zone-a's http_requests with job 1's options; job 6: writing RayID only.
        harness.processBroadcastElement(JobConfigs.upsert(4, 30, JobConfigs.json(4, "zone-a", "file:///tmp/j4", true,
                "{\"field_names\":[\"QueryName\"]}", "").replace("http_requests", "dns_logs")), 1L);
        harness.processBroadcastElement(JobConfigs.upsert(5, 31, JobConfigs.json(5, "zone-a", "file:///tmp/j5", true, "")), 1L);
        harness.processBroadcastElement(JobConfigs.upsert(6, 32, JobConfigs.json(6, "zone-a", "file:///tmp/j6", true,
                "{\"field_names\":[\"RayID\"]}", "")), 1L);
        event("zone-a", "dns_logs", "{\"QueryName\":\"example.com\",\"ColoCode\":\"AMS\"}");
        event("zone-a", "http_requests", "{\"RayID\":\"r\",\"EdgeResponseStatus\":200}");
        assertThat(routed()).extracting(r -> r.laneKey() + ":" + new String(r.bytes(), StandardCharsets.UTF_8).trim()).containsExactly(
                "4:{\"QueryName\":\"example.com\"}",
                "1:{\"RayID\":\"r\",\"EdgeResponseStatus\":200}",
                "5:{\"RayID\":\"r\",\"EdgeResponseStatus\":200}",
                "6:{\"RayID\":\"r\"}");

        harness.processBroadcastElement(JobConfigs.delete(4, 33), 1L);
        harness.processBroadcastElement(JobConfigs.delete(6, 34), 1L);
        event("zone-a", "dns_logs", "{\"QueryName\":\"example.com\"}");
        event("zone-a", "http_requests", "{\"RayID\":\"s\",\"EdgeResponseStatus\":200}");
        assertThat(routed()).extracting(RoutedRecord::laneKey).containsExactly(4L, 1L, 5L, 6L, 1L, 5L);
        assertThat(router.counters.eventsUnconfigured.getCount()).isEqualTo(1);
    }

    @Test
    void samplingIsDeterministicAndNearTheRate() throws Exception {
        harness.processBroadcastElement(JobConfigs.upsert(1, 30, JobConfigs.json(1, "zone-a", "file:///tmp/j1", true,
                "\"max_upload_records\":5").replace("\"output_options\":{", "\"output_options\":{\"sample_rate\":0.25,")), 1L);
        for (int i = 0; i < 4_000; i++) {
            event("zone-a", "http_requests", "{\"RayID\":\"r\",\"EdgeResponseStatus\":200}");
        }
        long kept = routed().stream().filter(r -> r.laneKey() == 1).count();
        assertThat(kept).isBetween(900L, 1_100L);
        assertThat(router.counters.recordsSampledOut.getCount()).isEqualTo(4_000 - kept);
    }

    @Test
    void countersReconcile() throws Exception {
        event("zone-a", "http_requests", "{\"RayID\":\"1\",\"EdgeResponseStatus\":500}");
        event("zone-a", "http_requests", "{\"RayID\":\"2\",\"EdgeResponseStatus\":\"x\"}");
        event("zone-z", "http_requests", "{}");
        event("zone-a", "http_requests", "nope");
        event("zone-a", "http_requests", "{\"RayID\":\"3\",\"EdgeResponseStatus\":200}");
        EventRouter.Counters c = router.counters;
        assertThat(c.eventsIn.getCount()).isEqualTo(5)
                .isEqualTo(c.eventsUnconfigured.getCount() + c.eventsDeadLettered.getCount() + c.eventsRouted.getCount());
        assertThat(c.eventsRouted.getCount() * 2)
                .as("each routed event meets both jobs of zone-a")
                .isEqualTo(c.recordsFiltered.getCount() + c.recordsSampledOut.getCount() + c.recordsDeadLettered.getCount()
                        + c.recordsRouted.getCount());
        assertThat(c.recordsRouted.getCount()).isEqualTo(routed().size());
    }
}
