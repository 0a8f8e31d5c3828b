package io.logpush.bench.micro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.bench.BenchJobs;
import io.logpush.config.JobConfigParser;
import io.logpush.config.LogpushJob;
import io.logpush.job.generator.HttpRequestsGenerator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Shared inputs of the micro-benchmarks: a generated event (bytes, parsed) and a typical job with a filter. */
@State(Scope.Thread)
public class HotPathState {

    public byte[] event;
    public JsonNode parsed;
    public LogpushJob job;
    public ConsumerRecord<byte[], byte[]> configuredRecord;
    public ConsumerRecord<byte[], byte[]> unconfiguredRecord;
    public final ObjectMapper json = new ObjectMapper();

    @Setup
    public void setUp() throws Exception {
        HttpRequestsGenerator generator = new HttpRequestsGenerator(1_000, 42);
        event = generator.event("zone-00007", HttpRequestsGenerator.rayId(1, 1), Instant.parse("2024-11-14T10:00:00Z"))
                .getBytes(StandardCharsets.UTF_8);
        parsed = json.readTree(event);
        job = new JobConfigParser(BenchJobs.POLICY).parse(BenchJobs.json(7, "zone-00007", "file:///tmp/bench/job-7/{DATE}", 30,
                "{\"where\":{\"and\":[{\"key\":\"ClientRequestHost\",\"operator\":\"contains\",\"value\":\"example\"},"
                        + "{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":200}]}}")).orElseThrow();
        configuredRecord = record("zone-00007");
        unconfiguredRecord = record("other-000042");
    }

    private ConsumerRecord<byte[], byte[]> record(String owner) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("events", 0, 0, owner.getBytes(StandardCharsets.UTF_8), event);
        record.headers().add("dataset", "http_requests".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
