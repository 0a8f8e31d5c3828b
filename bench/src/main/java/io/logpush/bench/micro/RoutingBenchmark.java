package io.logpush.bench.micro;

import io.logpush.job.kafka.RawEventDeserializer;
import io.logpush.job.records.RawEvent;
import org.apache.flink.util.Collector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashMap;
import java.util.Map;

/**
 * Envelope routing, as the router does it for the 90% of events with no job: decode the Kafka
 * envelope (key = owner, header = dataset) and look the owner up, without parsing the JSON.
 */
@State(Scope.Thread)
public class RoutingBenchmark {

    private final RawEventDeserializer deserializer = new RawEventDeserializer();
    private final Map<String, Map<String, Long>> index = new HashMap<>();
    private final Capture capture = new Capture();

    @Setup
    public void setUp() {
        for (int rank = 0; rank < 1_000; rank++) {
            index.put(String.format("zone-%05d", rank), Map.of("http_requests", rank + 1L));
        }
    }

    @Benchmark
    public Object unconfiguredEvent(HotPathState state) throws Exception {
        deserializer.deserialize(state.unconfiguredRecord, capture);
        Map<String, Long> byDataset = index.get(capture.event.owner());
        return byDataset == null ? null : byDataset.get(capture.event.dataset());
    }

    @Benchmark
    public Object configuredEvent(HotPathState state) throws Exception {
        deserializer.deserialize(state.configuredRecord, capture);
        Map<String, Long> byDataset = index.get(capture.event.owner());
        return byDataset == null ? null : byDataset.get(capture.event.dataset());
    }

    /** Keeps the last event, as the source's output would take it. */
    private static final class Capture implements Collector<RawEvent> {
        RawEvent event;

        @Override
        public void collect(RawEvent record) {
            event = record;
        }

        @Override
        public void close() {}
    }
}
