package io.logpush.job.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.broadcast.ConfigBootstrap;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.JobTable;
import io.logpush.config.guard.GuardSettings;
import io.logpush.job.records.RawEvent;
import io.logpush.job.records.RoutedRecord;
import io.logpush.job.testutils.JobConfigs;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant isolation, as a property: 1,000 random jobs (owners, datasets, filters, some disabled)
 * and 20,000 random events. The router's output is exactly the (job, event) pairs a plain reading
 * of the configs says, so not one record reaches a job of another owner or dataset, or one whose
 * filter excludes it, and none is missing.
 */
class TenantIsolationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] DATASETS = {"http_requests", "firewall_events"};
    private static final int[] STATUSES = {200, 404, 500};

    /** What the test itself knows of a job, to compute the expected routing independently. */
    private record JobSpec(long id, String owner, String dataset, boolean enabled, int statusFilter) {}

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void noRecordEverReachesAnotherTenantsJob(long seed) throws Exception {
        Random random = new Random(seed);
        List<JobSpec> jobs = new ArrayList<>();
        List<ConfigUpdate> configs = new ArrayList<>();
        for (long id = 1; id <= 1_000; id++) {
            JobSpec job = new JobSpec(id, "zone-" + random.nextInt(300), DATASETS[random.nextInt(2)],
                    random.nextInt(10) != 0, random.nextInt(10) < 3 ? STATUSES[random.nextInt(3)] : 0);
            jobs.add(job);
            String filter = job.statusFilter() == 0 ? ""
                    : "\"filter\":{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"eq\",\"value\":" + job.statusFilter() + "}},";
            configs.add(JobConfigs.upsert(id, id, ("{\"id\":" + id + ",\"zone_id\":\"" + job.owner() + "\",\"dataset\":\"" + job.dataset()
                    + "\",\"enabled\":" + job.enabled() + "," + filter + "\"destination_conf\":\"file:///out/job-" + id + "\","
                    + "\"output_options\":{\"field_names\":[\"RayID\",\"ClientRequestHost\"]}}")));
        }
        ConfigBootstrap bootstrap = (parser, settings) -> configs;
        Set<String> expected = new HashSet<>();
        Set<String> routed = new HashSet<>();
        try (BroadcastOperatorTestHarness<RawEvent, ConfigUpdate, RoutedRecord> harness = ProcessFunctionTestHarnesses
                .forBroadcastProcessFunction(new EventRouter(JobConfigs.POLICY, GuardSettings.DEFAULT, bootstrap, 4_096, HotJobs.ONE_LANE), JobTable.STATE)) {
            for (int i = 0; i < 20_000; i++) {
                String owner = "zone-" + random.nextInt(400);
                String dataset = DATASETS[random.nextInt(2)];
                int status = STATUSES[random.nextInt(3)];
                String json = "{\"RayID\":\"e" + i + "\",\"ClientRequestHost\":\"" + owner + "/" + dataset + "\",\"EdgeResponseStatus\":" + status + "}";
                harness.processElement(new RawEvent(owner, dataset, json.getBytes(StandardCharsets.UTF_8), 1L, "events", 0, i), 1L);
                for (JobSpec job : jobs) {
                    if (job.enabled() && job.owner().equals(owner) && job.dataset().equals(dataset)
                            && (job.statusFilter() == 0 || job.statusFilter() == status)) {
                        expected.add(job.id() + " " + "e" + i);
                    }
                }
            }
            for (RoutedRecord record : harness.extractOutputValues()) {
                JsonNode event = JSON.readTree(record.bytes());
                JobSpec job = jobs.get((int) record.laneKey() - 1);
                assertThat(event.get("ClientRequestHost").asText()).as("job %d's own owner and dataset", job.id())
                        .isEqualTo(job.owner() + "/" + job.dataset());
                assertThat(routed.add(record.laneKey() + " " + event.get("RayID").asText())).as("routed once").isTrue();
            }
        }
        assertThat(expected).as("the property is not vacuous").hasSizeGreaterThan(5_000);
        assertThat(routed).isEqualTo(expected);
    }
}
