package io.logpush.config.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.testutils.Jobs;
import io.logpush.config.LogpushJob;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How records are rendered: ndjson, csv quoting, templates, timestamp formats, the CVE rewrite. */
class RecordEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = "{\"RayID\":\"8e1f\",\"ClientIP\":\"192.0.2.1\",\"EdgeResponseStatus\":200,"
            + "\"EdgeStartTimestamp\":1731578400123456789,\"ClientRequestUserAgent\":\"say \\\"hi\\\", ${jndi:x}\","
            + "\"SecurityActions\":[\"log\"],\"NotAField\":1}";

    private static String encode(String outputOptions, String event) throws Exception {
        return new String(encoder(outputOptions).encode(JSON.readTree(event)), StandardCharsets.UTF_8);
    }

    @Test
    void anEncoderNamesTheFieldsItWritesOrNoneWhenItWritesEvery() {
        assertThat(encoder("{\"field_names\":[\"RayID\",\"ClientIP\"]}").fields()).contains(Set.of("RayID", "ClientIP"));
        assertThat(encoder("{\"record_template\":\"{{ .RayID }} {{ \\\"x\\\" }}\"}").fields()).contains(Set.of("RayID"));
        assertThat(encoder("{}").fields()).isEmpty();
    }

    private static RecordEncoder encoder(String outputOptions) {
        LogpushJob job = Jobs.parse("{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"http_requests\","
                + "\"destination_conf\":\"file:///l\",\"output_options\":" + outputOptions + "}");
        return new RecordEncoder(job.outputOptions(), job.dataset());
    }

    @Test
    void ndjsonWritesTheSelectedFieldsInOrderAndNullForMissingOnes() throws Exception {
        assertThat(encode("{\"field_names\":[\"EdgeResponseStatus\",\"RayID\",\"ClientCountry\"]}", EVENT))
                .isEqualTo("{\"EdgeResponseStatus\":200,\"RayID\":\"8e1f\",\"ClientCountry\":null}\n");
    }

    @Test
    void numbersAreWrittenAsTheEventHadThem() throws Exception {
        String event = "{\"EdgeResponseBytes\":-42,\"OriginResponseBytes\":5000000000,"
                + "\"CacheResponseBytes\":123456789012345678901234567890,\"ClientRequestBytes\":1.5e3}";
        String fields = "\"field_names\":[\"EdgeResponseBytes\",\"OriginResponseBytes\",\"CacheResponseBytes\",\"ClientRequestBytes\"]";
        assertThat(encode("{" + fields + "}", event)).isEqualTo("{\"EdgeResponseBytes\":-42,\"OriginResponseBytes\":5000000000,"
                + "\"CacheResponseBytes\":123456789012345678901234567890,\"ClientRequestBytes\":1500.0}\n");
        assertThat(encode("{\"output_type\":\"csv\"," + fields + "}", event))
                .isEqualTo("-42,5000000000,123456789012345678901234567890,1500.0\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain /api/v1", "", "quote \" and backslash \\",
            "tab\tnewline\ncontrol\u0001", "caf\u00e9 \u2028 \uD83D\uDE00", "\u007f del", "end\\"})
    void ndjsonStringsAreEscapedExactlyAsJacksonWritesThem(String value) throws Exception {
        String event = "{\"RayID\":" + JSON.writeValueAsString(value) + "}";
        assertThat(encode("{\"field_names\":[\"RayID\"]}", event))
                .isEqualTo("{\"RayID\":" + JSON.writeValueAsString(value) + "}\n");
    }

    @Test
    void withoutFieldNamesEveryDatasetFieldOfTheEventIsWritten() throws Exception {
        String record = encode("{}", EVENT);
        assertThat(record).startsWith("{\"RayID\":\"8e1f\",\"ClientIP\":\"192.0.2.1\"").endsWith("}\n");
        assertThat(record).doesNotContain("NotAField");
        assertThat(JSON.readTree(record).get("SecurityActions").get(0).asText()).isEqualTo("log");
    }

    @Test
    void csvQuotesWhatNeedsQuoting() throws Exception {
        String options = "{\"output_type\":\"csv\",\"field_names\":[\"RayID\",\"ClientRequestUserAgent\",\"ClientCountry\",\"SecurityActions\"]}";
        assertThat(encode(options, EVENT)).isEqualTo("8e1f,\"say \"\"hi\"\", ${jndi:x}\",,\"[\"\"log\"\"]\"\n");
    }

    @Test
    void csvWithAnotherDelimiterQuotesThatDelimiter() throws Exception {
        String options = "{\"output_type\":\"csv\",\"field_delimiter\":\"\\t\",\"field_names\":[\"RayID\",\"ClientIP\"]}";
        assertThat(encode(options, "{\"RayID\":\"a\\tb\",\"ClientIP\":\"1,2\"}")).isEqualTo("\"a\tb\"\t1,2\n");
    }

    @Test
    void theCveRewriteDefusesLookupStrings() throws Exception {
        assertThat(encode("{\"field_names\":[\"ClientRequestUserAgent\"],\"CVE-2021-44228\":true}", EVENT))
                .isEqualTo("{\"ClientRequestUserAgent\":\"say \\\"hi\\\", x{jndi:x}\"}\n");
    }

    @Test
    void templatesRenderFieldsAsJsonConstantsAsTextAndUnselectedFieldsAsNull() throws Exception {
        String options = "{\"field_names\":[\"RayID\",\"EdgeResponseStatus\"],"
                + "\"record_template\":\"{{ .RayID }} {{ \\\"status=\\\" }}{{.EdgeResponseStatus}} ip={{ .ClientIP }}\"}";
        assertThat(encode(options, EVENT)).isEqualTo("\"8e1f\" status=200 ip=null\n");
    }

    @Test
    void framingOptionsReplaceTheDefaults() throws Exception {
        String options = "{\"field_names\":[\"RayID\"],\"record_prefix\":\"<\",\"record_suffix\":\">\",\"field_delimiter\":\";\"}";
        assertThat(encode(options, EVENT)).isEqualTo("<\"RayID\":\"8e1f\">");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unixnano|1731578400123456789",
        "unix|1731578400",
        "rfc3339|\"2024-11-14T10:00:00Z\"",
        "rfc3339ms|\"2024-11-14T10:00:00.123Z\"",
        "rfc3339ns|\"2024-11-14T10:00:00.123456789Z\"",
    })
    void timestampFormats(String format, String expected) throws Exception {
        String options = "{\"field_names\":[\"EdgeStartTimestamp\"],\"timestamp_format\":\"" + format + "\"}";
        assertThat(encode(options, EVENT)).isEqualTo("{\"EdgeStartTimestamp\":" + expected + "}\n");
        assertThat(encode(options, "{\"EdgeStartTimestamp\":\"2024-11-14T10:00:00.123456789Z\"}"))
                .as("an RFC 3339 input timestamp renders the same")
                .isEqualTo("{\"EdgeStartTimestamp\":" + expected + "}\n");
    }
}
