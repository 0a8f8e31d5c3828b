package io.logpush.config.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.ConfigReader;
import io.logpush.config.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Filter semantics per operator and field type, evaluated on parsed events. */
class EventFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Dataset HTTP = Dataset.byName("http_requests").orElseThrow();

    private static final String EVENT = "{\"ClientRequestHost\":\"www.example.com\",\"EdgeResponseStatus\":503,"
            + "\"EdgeResponseCompressionRatio\":1.5,\"CacheTieredFill\":true,\"SecurityActions\":[\"block\",\"log\"],"
            + "\"ClientCountry\":\"us\",\"EdgeStartTimestamp\":1731578400000000000,\"ClientASN\":13335}";

    private static EventFilter compile(String filterJson) throws Exception {
        ConfigReader reader = new ConfigReader();
        EventFilter filter = FilterParser.parse(JSON.readTree(filterJson), "$.filter", HTTP, reader).orElse(null);
        assertThat(reader.errors()).isEmpty();
        return filter;
    }

    private static boolean matches(String key, String op, String value, String event) throws Exception {
        return compile("{\"where\":{\"key\":\"" + key + "\",\"operator\":\"" + op + "\",\"value\":" + value + "}}")
                .test(JSON.readTree(event));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "ClientRequestHost|eq|\"www.example.com\"|true",
        "ClientRequestHost|eq|\"example.com\"|false",
        "ClientRequestHost|!eq|\"example.com\"|true",
        "EdgeResponseStatus|eq|503|true",
        "EdgeResponseStatus|eq|\"503\"|true",
        "EdgeResponseStatus|!eq|503|false",
        "CacheTieredFill|eq|true|true",
        "CacheTieredFill|eq|\"false\"|false",
        "EdgeResponseCompressionRatio|eq|1.5|true",
        "EdgeResponseStatus|lt|503|false",
        "EdgeResponseStatus|leq|503|true",
        "EdgeResponseStatus|gt|499|true",
        "EdgeResponseStatus|geq|504|false",
        "EdgeResponseCompressionRatio|gt|1.25|true",
        "EdgeStartTimestamp|geq|\"2024-11-14T10:00:00Z\"|true",
        "EdgeStartTimestamp|lt|1731578400000000000|false",
        "ClientRequestHost|startsWith|\"www.\"|true",
        "ClientRequestHost|!startsWith|\"www.\"|false",
        "ClientRequestHost|endsWith|\".com\"|true",
        "ClientRequestHost|!endsWith|\".org\"|true",
        "ClientRequestHost|contains|\"example\"|true",
        "ClientRequestHost|!contains|\"example\"|false",
        "SecurityActions|contains|\"block\"|true",
        "SecurityActions|contains|\"challenge\"|false",
        "SecurityActions|!contains|\"challenge\"|true",
        "ClientCountry|in|[\"ca\",\"us\"]|true",
        "ClientCountry|!in|[\"ca\",\"us\"]|false",
        "ClientASN|in|[13335, \"209242\"]|true",
        "ClientASN|!in|[1, 2]|true",
    })
    void operatorsCompareLikeCloudflares(String key, String op, String value, boolean expected) throws Exception {
        assertThat(matches(key, op, value, EVENT)).isEqualTo(expected);
    }

    @Test
    void aMissingFieldFailsPositiveAndPassesNegatedOperators() throws Exception {
        assertThat(matches("ClientRequestPath", "eq", "\"/\"", EVENT)).isFalse();
        assertThat(matches("ClientRequestPath", "!eq", "\"/\"", EVENT)).isTrue();
        assertThat(matches("ClientRequestPath", "!in", "[\"/\"]", "{\"ClientRequestPath\":null}")).isTrue();
    }

    @Test
    void andOrNestFreely() throws Exception {
        EventFilter filter = compile("{\"where\":{\"and\":[{\"key\":\"ClientCountry\",\"operator\":\"eq\",\"value\":\"us\"},"
                + "{\"or\":[{\"key\":\"EdgeResponseStatus\",\"operator\":\"lt\",\"value\":400},"
                + "{\"key\":\"ClientRequestHost\",\"operator\":\"endsWith\",\"value\":\".com\"}]}]}}");
        assertThat(filter.test(JSON.readTree(EVENT))).isTrue();
        assertThat(filter.test(JSON.readTree("{\"ClientCountry\":\"us\",\"EdgeResponseStatus\":500,\"ClientRequestHost\":\"a.org\"}"))).isFalse();
        assertThat(filter.test(JSON.readTree("{\"ClientCountry\":\"de\",\"EdgeResponseStatus\":200}"))).isFalse();
    }

    @Test
    void aStringEncodedFilterMeansTheSame() throws Exception {
        String inner = "{\"where\":{\"key\":\"ClientCountry\",\"operator\":\"eq\",\"value\":\"us\"}}";
        ConfigReader reader = new ConfigReader();
        EventFilter filter = FilterParser.parse(JSON.getNodeFactory().textNode(inner), "$.filter", HTTP, reader).orElseThrow();
        assertThat(filter.test(JSON.readTree(EVENT))).isTrue();
        assertThat(FilterParser.parse(JSON.getNodeFactory().textNode(""), "$.filter", HTTP, reader)).contains(EventFilter.MATCH_ALL);
    }

    @Test
    void aWrongTypeInTheEventIsADataErrorNamingTheField() throws Exception {
        EventFilter filter = compile("{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"gt\",\"value\":400}}");
        JsonNode wrong = JSON.readTree("{\"EdgeResponseStatus\":\"oops\"}");
        assertThatThrownBy(() -> filter.test(wrong))
                .isInstanceOf(EventFieldException.class)
                .hasMessage("EdgeResponseStatus: expected an integer, was string");
    }

    @Test
    void aFilterNamesTheFieldsItReads() throws Exception {
        EventFilter filter = compile("{\"where\":{\"and\":[{\"key\":\"ClientCountry\",\"operator\":\"eq\",\"value\":\"us\"},"
                + "{\"or\":[{\"key\":\"EdgeResponseStatus\",\"operator\":\"lt\",\"value\":400},"
                + "{\"key\":\"ClientCountry\",\"operator\":\"eq\",\"value\":\"de\"}]}]}}");
        assertThat(filter.fields()).containsExactlyInAnyOrder("ClientCountry", "EdgeResponseStatus");
        assertThat(EventFilter.MATCH_ALL.fields()).isEmpty();
    }
}
