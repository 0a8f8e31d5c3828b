package io.logpush.job.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.Dataset;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Iterator;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator: real http_requests fields, deterministic with a seed, Zipf-skewed zones. */
class HttpRequestsGeneratorTest {

    @Test
    void eventsUseOnlyRealFieldsWithTheirTypes() throws Exception {
        JsonNode event = new ObjectMapper().readTree(new HttpRequestsGenerator(100, 1).event("zone-00001", "ab", Instant.EPOCH));
        Dataset http = Dataset.byName("http_requests").orElseThrow();
        for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
            assertThat(http.fieldType(it.next())).isPresent();
        }
        assertThat(event.get("EdgeResponseStatus").isInt()).isTrue();
        assertThat(event.get("ZoneName").asText()).isEqualTo("zone-00001");
        assertThat(event.toString().length()).isBetween(500, 1_000);
    }

    @Test
    void theSameSeedGivesTheSameEventsAndZonesAreSkewed() {
        HttpRequestsGenerator a = new HttpRequestsGenerator(1_000, 7);
        HttpRequestsGenerator b = new HttpRequestsGenerator(1_000, 7);
        int top = 0;
        for (int i = 0; i < 10_000; i++) {
            int zone = a.nextZone();
            assertThat(b.nextZone()).isEqualTo(zone);
            top += zone < 10 ? 1 : 0;
        }
        assertThat(a.event("z", "r", Instant.EPOCH)).isEqualTo(b.event("z", "r", Instant.EPOCH));
        assertThat(top).as("the 10 busiest of 1,000 zones get a large share").isGreaterThan(2_500);
    }
}
