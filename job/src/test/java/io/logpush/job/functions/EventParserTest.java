package io.logpush.job.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpush.job.generator.HttpRequestsGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventParser parser = new EventParser(64);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keptFieldsAreTheNodesReadTreeBuilds() throws IOException {
        HttpRequestsGenerator generator = new HttpRequestsGenerator(50, 7);
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            String event = generator.event(HttpRequestsGenerator.zone(generator.nextZone()), "ray-" + i, Instant.ofEpochSecond(1_700_000_000L + i));
            // Values of every kind, where a generated event has none.
            event = event.substring(0, event.length() - 1) + ",\"Fraction\":0.25,\"Big\":12345678901234567890123,"
                    + "\"Long\":" + (Integer.MAX_VALUE + 1L) + ",\"Flag\":true,\"Nothing\":null,"
                    + "\"Map\":{\"a\":[1,{\"b\":\"c\"}]},\"List\":[\"x\",2]}";
            JsonNode whole = JSON.readTree(event);
            List<String> names = new ArrayList<>();
            whole.fieldNames().forEachRemaining(names::add);
            Set<String> kept = new HashSet<>();
            for (String name : names) {
                if (random.nextBoolean()) {
                    kept.add(name);
                }
            }
            kept.add("NotInTheEvent");

            ObjectNode sparse = parser.parse(utf8(event), kept);

            List<String> expected = names.stream().filter(kept::contains).toList();
            List<String> actual = new ArrayList<>();
            for (Iterator<String> it = sparse.fieldNames(); it.hasNext(); ) {
                actual.add(it.next());
            }
            assertThat(actual).as("kept fields, in the event's order").isEqualTo(expected);
            for (String name : expected) {
                assertThat((Object) sparse.get(name)).as(name).isEqualTo(whole.get(name));
                assertThat(sparse.get(name).getClass()).as(name).isEqualTo(whole.get(name).getClass());
            }
            assertThat(parser.parse(utf8(event), null)).as("null keeps everything").isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"event\"", "42", "null", ""})
    void aValueThatIsNotAnObjectParsesToNull(String value) throws IOException {
        assertThat(parser.parse(utf8(value), Set.of("RayID"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"Skipped\":\"a\",\"Skipped\":\"b\",\"RayID\":\"r\"}",
            "{\"RayID\":\"r\",\"Skipped\":{\"x\":1,\"x\":2}}",
            "{\"RayID\":\"r\"} trailing",
            "{\"RayID\":\"r\"}{}",
            "{\"RayID\":\"r\",\"Skipped\":NaN}",
            "{\"RayID\":\"r\",\"Skipped\":[1,}",
            "{\"RayID\":\"r\",\"Skipped\":\"a\u0001b\"}",
            "{\"RayID\":\"r\",\"Skipped\":\"a\""})
    void skippedFieldsAreStillChecked(String value) {
        assertThatThrownBy(() -> parser.parse(utf8(value), Set.of("RayID"))).isInstanceOf(IOException.class);
    }

    @Test
    void eventsWhoseFieldsComeInAnotherOrderOrSpelledWithEscapesParseAsReadTreeReadsThem() throws IOException {
        // One parser, event after event: each is compared with the names at each position of the one before.
        List<String> events = List.of(
                "{\"RayID\":\"a\",\"EdgeResponseStatus\":200,\"ClientIP\":\"1.2.3.4\"}",
                "{\"RayID\":\"b\",\"EdgeResponseStatus\":500,\"ClientIP\":\"5.6.7.8\"}",
                "{\"ClientIP\":\"9.9.9.9\",\"RayID\":\"c\",\"EdgeResponseStatus\":404}",
                "{\"RayID\":\"d\"}",
                "{\"RayID\":\"e\",\"Edge\\u0052esponseStatus\":301,\"ClientIP\":\"1.1.1.1\",\"Extra\":1}",
                "{\"RayI\":\"f\",\"EdgeResponseStatusX\":1,\"ClientIP\":\"2.2.2.2\"}",
                "{\"RayID\":\"g\",\"EdgeResponseStatus\":200,\"ClientIP\":\"3.3.3.3\"}");
        for (String event : events) {
            JsonNode whole = JSON.readTree(event);
            assertThat(parser.parse(utf8(event), null)).as(event).isEqualTo(whole);
            ObjectNode sparse = parser.parse(utf8(event), Set.of("RayID", "EdgeResponseStatus"));
            assertThat((Object) sparse.get("RayID")).as(event).isEqualTo(whole.get("RayID"));
            assertThat((Object) sparse.get("EdgeResponseStatus")).as(event).isEqualTo(whole.get("EdgeResponseStatus"));
            assertThat(sparse.size()).as(event).isEqualTo((whole.has("RayID") ? 1 : 0) + (whole.has("EdgeResponseStatus") ? 1 : 0));
        }
        assertThatThrownBy(() -> parser.parse(utf8("{\"RayID\":\"h\",\"RayID\":\"i\"}"), Set.of("RayID")))
                .as("a name repeated where the event before had it").isInstanceOf(IOException.class)
                .hasMessageStartingWith("Duplicate field 'RayID'");
        assertThatThrownBy(() -> parser.parse(utf8("{\"RayID\":\"h\",\"RayID\":\"i\"}"), Set.of("RayID")))
                .as("and again, once it is that event's layout").isInstanceOf(IOException.class)
                .hasMessageStartingWith("Duplicate field 'RayID'");
        String valid = "{\"RayID\":\"j\",\"EdgeResponseStatus\":200,\"ClientIP\":\"4.4.4.4\"}";
        assertThat(parser.parse(utf8(valid), null)).isEqualTo(JSON.readTree(valid));
        assertThatThrownBy(() -> parser.parse(utf8("{\"RayID\":\"k\",\"EdgeResponseStatus\":200,\"RayID\":\"l\"}"), null))
                .as("a name of the matched start repeated after it").isInstanceOf(IOException.class)
                .hasMessageStartingWith("Duplicate field 'RayID'");
    }

    @Test
    void duplicateKeysAreFoundAmongManyFieldsAndInsideKeptObjects() throws IOException {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 200; i++) {
            many.append("\"F").append(i).append("\":").append(i).append(',');
        }
        String distinct = many + "\"RayID\":\"r\"}";
        assertThat(parser.parse(utf8(distinct), Set.of("RayID")).get("RayID").asText()).isEqualTo("r");
        assertThat(parser.parse(utf8(distinct), Set.of("RayID")).get("RayID").asText()).as("a second event starts afresh")
                .isEqualTo("r");
        assertThatThrownBy(() -> parser.parse(utf8(many + "\"F7\":1}"), Set.of("RayID"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Duplicate field 'F7'");
        assertThatThrownBy(() -> parser.parse(utf8("{\"Kept\":{\"x\":1,\"x\":2}}"), Set.of("Kept")))
                .isInstanceOf(IOException.class).hasMessageContaining("Duplicate field 'x'");
    }

    @Test
    void namesCraftedToShareAHashCodeAreCheckedAsAnyOthers() throws IOException {
        // "Aa" and "BB" have the same hash code, so every name made of 12 of them does: 4,096 names, one hash.
        List<String> colliding = new ArrayList<>(List.of(""));
        for (int i = 0; i < 12; i++) {
            List<String> longer = new ArrayList<>();
            for (String prefix : colliding) {
                longer.add(prefix + "Aa");
                longer.add(prefix + "BB");
            }
            colliding = longer;
        }
        assertThat(colliding).hasSize(4_096).extracting(String::hashCode).containsOnly(colliding.get(0).hashCode());
        StringBuilder event = new StringBuilder("{");
        for (String name : colliding) {
            event.append('"').append(name).append("\":1,");
        }
        String distinct = event + "\"RayID\":\"r\"}";
        assertThat(parser.parse(utf8(distinct), Set.of("RayID")).get("RayID").asText()).isEqualTo("r");
        String duplicate = event + "\"" + colliding.get(4_000) + "\":2}";
        assertThatThrownBy(() -> parser.parse(utf8(duplicate), Set.of("RayID"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Duplicate field '" + colliding.get(4_000) + "'");
    }

    @Test
    void invalidUtf8InASkippedStringIsRejected() {
        byte[] value = {'{', '"', 'S', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> parser.parse(value, Set.of("RayID"))).isInstanceOf(IOException.class);
    }

    @Test
    void nestingDeeperThanTheLimitIsRejectedEvenWhenSkipped() {
        String deep = "{\"S\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertThatThrownBy(() -> parser.parse(utf8(deep), Set.of("RayID"))).isInstanceOf(IOException.class)
                .hasMessageContaining("depth");
    }
}
