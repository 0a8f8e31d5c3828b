package io.logpush.job.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventFieldsTest {

    @Test
    void behavesAsAnInsertionOrderedMapWhateverTheNamesIdentity() {
        EventFields fields = new EventFields(2);
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            String name = "Field" + i;
            fields.put(name, IntNode.valueOf(i));
            expected.put(name, IntNode.valueOf(i));
        }
        // A name equal to a kept one but not the same instance (not interned) is still found.
        String equalName = new String("Field3".toCharArray());
        assertThat(fields.get(equalName)).isEqualTo(IntNode.valueOf(3));
        assertThat(fields.put(equalName, TextNode.valueOf("three"))).isEqualTo(IntNode.valueOf(3));
        expected.put("Field3", TextNode.valueOf("three"));
        assertThat(fields.remove("Field0")).isEqualTo(IntNode.valueOf(0));
        expected.remove("Field0");

        assertThat(fields).isEqualTo(expected).hasSize(9);
        assertThat(fields.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(fields.get("Absent")).isNull();
        assertThat(fields.containsKey("Field9")).isTrue();
        fields.clear();
        assertThat(fields).isEmpty();
        assertThat(fields.get("Field9")).isNull();
    }
}
