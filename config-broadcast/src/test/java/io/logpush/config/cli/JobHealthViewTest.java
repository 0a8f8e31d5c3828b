package io.logpush.config.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JobHealthViewTest {

    private static JobHealthView view(String json) {
        return JobHealthView.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheFieldsConfigListShows() {
        JobHealthView h = view("{\"id\":5,\"state\":\"degraded\",\"last_complete\":\"2024-11-14T10:00:30Z\",\"last_error\":"
                + "\"2024-11-14T10:01:00Z\",\"error_message\":\"denied\",\"parked_batches\":2}");
        assertThat(h).isEqualTo(new JobHealthView("degraded", "2024-11-14T10:00:30Z", "2", "2024-11-14T10:01:00Z", "denied"));
        assertThat(view("not json").state()).isEqualTo("unreadable");
    }

    @Test
    void aHotJobsLanesCombineToTheWorstStateTheParkedSumAndTheLatestTimes() {
        JobHealthView lane0 = view("{\"state\":\"active\",\"last_complete\":\"2024-11-14T10:00:30Z\",\"last_error\":null,"
                + "\"error_message\":null,\"parked_batches\":0}");
        JobHealthView lane1 = view("{\"state\":\"degraded\",\"last_complete\":\"2024-11-14T10:00:20Z\",\"last_error\":"
                + "\"2024-11-14T10:01:00Z\",\"error_message\":\"denied\",\"parked_batches\":3}");
        JobHealthView lane2 = view("{\"state\":\"active\",\"last_complete\":\"2024-11-14T10:00:40Z\",\"last_error\":null,"
                + "\"error_message\":null,\"parked_batches\":1}");
        JobHealthView expected = new JobHealthView("degraded", "2024-11-14T10:00:40Z", "4", "2024-11-14T10:01:00Z", "denied");
        assertThat(lane0.with(lane1).with(lane2)).isEqualTo(expected);
        assertThat(lane2.with(lane1).with(lane0)).as("in any order").isEqualTo(expected);
        assertThat(JobHealthView.NONE.with(lane0)).isEqualTo(lane0);
    }
}
