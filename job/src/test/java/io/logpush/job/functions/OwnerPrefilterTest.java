package io.logpush.job.functions;

import io.logpush.config.JobConfigParser;
import io.logpush.config.broadcast.ConfigBootstrap;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.OwnerWatch;
import io.logpush.config.guard.GuardSettings;
import io.logpush.job.records.RawEvent;
import org.apache.flink.streaming.api.operators.StreamFilter;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prefilter drops only events of owners with no config; whatever the router must judge passes. */
class OwnerPrefilterTest {

    /** A watch over a fixed set of owners; {@code failed} makes it report a broken follow. */
    private record FixedOwners(Set<String> owners, boolean failed) implements OwnerWatch {
        @Override
        public boolean has(String owner) {
            if (failed) {
                throw new IllegalStateException("stopped following the config topic");
            }
            return owners.contains(owner);
        }

        @Override
        public int size() {
            return owners.size();
        }

        @Override
        public void close() {}
    }

    private static ConfigBootstrap watching(OwnerWatch watch) {
        return new ConfigBootstrap() {
            @Override
            public List<ConfigUpdate> load(JobConfigParser parser, GuardSettings settings) {
                return List.of();
            }

            @Override
            public Optional<OwnerWatch> watchOwners() {
                return Optional.of(watch);
            }
        };
    }

    private static RawEvent event(String owner, String dataset) {
        return new RawEvent(owner, dataset, "{}".getBytes(StandardCharsets.UTF_8), 1_000L, "events", 0, 0);
    }

    @Test
    void dropsOnlyEventsOfOwnersWithoutAConfig() throws Exception {
        OwnerPrefilter prefilter = new OwnerPrefilter(watching(new FixedOwners(Set.of("zone-a"), false)));
        try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamFilter<>(prefilter))) {
            harness.open();
            for (RawEvent e : List.of(event("zone-a", "http_requests"), event("zone-z", "http_requests"),
                    event("", "http_requests"), event("zone-z", ""), event("zone-z", "no_such_dataset"),
                    event("zone-z", "firewall_events"))) {
                harness.processElement(e, 1_000L);
            }
            assertThat(harness.extractOutputValues()).extracting(e -> e.owner() + "/" + e.dataset()).containsExactly(
                    "zone-a/http_requests", // configured: the router decides
                    "/http_requests", "zone-z/", "zone-z/no_such_dataset"); // the router dead-letters these with a reason
            assertThat(prefilter.eventsRead.getCount()).isEqualTo(6);
            assertThat(prefilter.eventsUnconfigured.getCount()).as("zone-z's http_requests and firewall_events").isEqualTo(2);
        }
    }

    @Test
    void aWatchThatStoppedFollowingFailsTheTaskInsteadOfDroppingNewOwnersSilently() throws Exception {
        OwnerPrefilter prefilter = new OwnerPrefilter(watching(new FixedOwners(Set.of(), true)));
        try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamFilter<>(prefilter))) {
            harness.open();
            assertThatThrownBy(() -> harness.processElement(event("zone-a", "http_requests"), 1_000L))
                    .hasMessageContaining("stopped following");
        }
    }

    @Test
    void withoutAWatchEveryEventPasses() throws Exception {
        OwnerPrefilter prefilter = new OwnerPrefilter(ConfigBootstrap.none());
        try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamFilter<>(prefilter))) {
            harness.open();
            harness.processElement(event("zone-z", "http_requests"), 1_000L);
            assertThat(harness.extractOutputValues()).hasSize(1);
        }
    }
}
