package io.logpush.job.functions;

import io.logpush.config.broadcast.ConfigBootstrap;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.JobTable;
import io.logpush.config.guard.GuardSettings;
import io.logpush.job.records.DeadLetter;
import io.logpush.job.records.RawEvent;
import io.logpush.job.records.RoutedRecord;
import io.logpush.job.testutils.JobConfigs;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Thirty-odd malformed event shapes: each goes to the dead-letter topic with a reason that says
 * what is wrong, none is delivered, none crashes the router, and the counters still reconcile.
 */
class MalformedEventsTest {

    /** zone-a's job filters on a number, a string and a timestamp, and writes timestamps as RFC 3339. */
    private static final String FILTERED_JOB = JobConfigs.json(1, "zone-a", "file:///tmp/j1", true,
            "{\"field_names\":[\"RayID\",\"EdgeStartTimestamp\"],\"timestamp_format\":\"rfc3339\"}",
            "\"filter\":{\"where\":{\"and\":[{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":100},"
                    + "{\"key\":\"ClientRequestHost\",\"operator\":\"startsWith\",\"value\":\"www\"},"
                    + "{\"key\":\"EdgeStartTimestamp\",\"operator\":\"geq\",\"value\":0}]}}");
    private static final String GOOD = "{\"EdgeResponseStatus\":200,\"ClientRequestHost\":\"www.a\",\"EdgeStartTimestamp\":1";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                arguments("no key", "", "http_requests", utf8("{}"), "missing owner"),
                arguments("no dataset header", "zone-a", "", utf8("{}"), "missing header 'dataset'"),
                arguments("unknown dataset", "zone-a", "http_request", utf8("{}"), "unknown dataset 'http_request'"),
                arguments("dataset with control characters", "zone-a", "http\u0000requests", utf8("{}"), "unknown dataset"),
                arguments("not JSON", "zone-a", "http_requests", utf8("hello"), "not valid JSON"),
                arguments("truncated", "zone-a", "http_requests", utf8("{\"RayID\":\"a\""), "not valid JSON"),
                arguments("truncated string", "zone-a", "http_requests", utf8("{\"RayID\":\"a"), "not valid JSON"),
                arguments("array", "zone-a", "http_requests", utf8("[1,2,3]"), "not a JSON object"),
                arguments("string", "zone-a", "http_requests", utf8("\"event\""), "not a JSON object"),
                arguments("number", "zone-a", "http_requests", utf8("42"), "not a JSON object"),
                arguments("JSON null", "zone-a", "http_requests", utf8("null"), "not a JSON object"),
                arguments("empty value", "zone-a", "http_requests", new byte[0], "not a JSON object"),
                arguments("tombstone", "zone-a", "http_requests", null, "no value"),
                arguments("binary garbage", "zone-a", "http_requests", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80}, "not valid JSON"),
                arguments("invalid UTF-8 in a string", "zone-a", "http_requests",
                        new byte[] {'{', '"', 'R', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'}, "not valid JSON"),
                arguments("huge", "zone-a", "http_requests", utf8("{\"RayID\":\"" + "x".repeat(5_000) + "\"}"), "exceeds the limit"),
                arguments("deeply nested", "zone-a", "http_requests", utf8("{\"a\":".repeat(100) + "1" + "}".repeat(100)), "not valid JSON"),
                arguments("duplicate keys", "zone-a", "http_requests", utf8("{\"RayID\":\"a\",\"RayID\":\"b\"}"), "Duplicate field 'RayID'"),
                arguments("trailing garbage", "zone-a", "http_requests", utf8("{\"RayID\":\"a\"} trailing"), "not valid JSON"),
                arguments("two objects", "zone-a", "http_requests", utf8("{}{}"), "not valid JSON"),
                arguments("NaN", "zone-a", "http_requests", utf8("{\"EdgeResponseStatus\":NaN}"), "not valid JSON"),
                arguments("comment", "zone-a", "http_requests", utf8("{/* c */\"RayID\":\"a\"}"), "not valid JSON"),
                arguments("single quotes", "zone-a", "http_requests", utf8("{'RayID':'a'}"), "not valid JSON"),
                arguments("raw control character", "zone-a", "http_requests", utf8("{\"RayID\":\"a\u0001b\"}"), "not valid JSON"),
                arguments("unquoted key", "zone-a", "http_requests", utf8("{RayID:\"a\"}"), "not valid JSON"),
                arguments("status as text", "zone-a", "http_requests", utf8("{\"EdgeResponseStatus\":\"abc\",\"ClientRequestHost\":\"www\"}"),
                        "EdgeResponseStatus: expected an integer, was string"),
                arguments("status as boolean", "zone-a", "http_requests", utf8("{\"EdgeResponseStatus\":true}"),
                        "EdgeResponseStatus: expected an integer, was boolean"),
                arguments("status as object", "zone-a", "http_requests", utf8("{\"EdgeResponseStatus\":{}}"),
                        "EdgeResponseStatus: expected an integer, was object"),
                arguments("status as array", "zone-a", "http_requests", utf8("{\"EdgeResponseStatus\":[500]}"),
                        "EdgeResponseStatus: expected an integer, was array"),
                arguments("status as float", "zone-a", "http_requests", utf8("{\"EdgeResponseStatus\":500.5}"),
                        "EdgeResponseStatus: expected an integer, was number"),
                arguments("host as number", "zone-a", "http_requests", utf8("{\"EdgeResponseStatus\":200,\"ClientRequestHost\":7}"),
                        "ClientRequestHost: expected a string, was number"),
                arguments("timestamp as words", "zone-a", "http_requests", utf8(GOOD.replace("\"EdgeStartTimestamp\":1", "\"EdgeStartTimestamp\":\"yesterday\"") + "}"),
                        "EdgeStartTimestamp: not an RFC 3339 timestamp"),
                arguments("timestamp as boolean", "zone-a", "http_requests", utf8(GOOD.replace("1", "") + "false}"),
                        "EdgeStartTimestamp: expected a timestamp, was boolean"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void isDeadLetteredWithItsReasonAndNotDelivered(String name, String owner, String dataset, byte[] value, String reason)
            throws Exception {
        ConfigBootstrap bootstrap = (parser, settings) -> List.of(JobConfigs.upsert(1, 1, FILTERED_JOB));
        EventRouter router = new EventRouter(JobConfigs.POLICY, GuardSettings.DEFAULT, bootstrap, 4_096, HotJobs.ONE_LANE);
        try (BroadcastOperatorTestHarness<RawEvent, ConfigUpdate, RoutedRecord> harness =
                     ProcessFunctionTestHarnesses.forBroadcastProcessFunction(router, JobTable.STATE)) {
            harness.processElement(new RawEvent(owner, dataset, value, 1L, "events", 3, 77), 1L);
            harness.processElement(new RawEvent("zone-a", "http_requests", utf8(GOOD + "}"), 1L, "events", 3, 78), 1L);
            assertThat(harness.getSideOutput(EventRouter.DEAD_LETTERS)).singleElement().extracting(StreamRecord::getValue)
                    .satisfies(letter -> {
                        assertThat(letter.reason()).contains(reason);
                        assertThat(letter.offset()).isEqualTo(77);
                        assertThat(letter.value()).isEqualTo(value);
                    });
            assertThat(harness.extractOutputValues()).as("only the good event that follows is delivered")
                    .singleElement().extracting(RoutedRecord::laneKey).isEqualTo(1L);
            EventRouter.Counters c = router.counters;
            assertThat(c.eventsIn.getCount()).isEqualTo(c.eventsUnconfigured.getCount() + c.eventsDeadLettered.getCount()
                    + c.eventsRouted.getCount());
            assertThat(c.eventsRouted.getCount()).isEqualTo(c.recordsFiltered.getCount() + c.recordsSampledOut.getCount()
                    + c.recordsDeadLettered.getCount() + c.recordsRouted.getCount());
        }
    }
}
