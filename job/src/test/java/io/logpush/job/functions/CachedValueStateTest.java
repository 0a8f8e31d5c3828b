package io.logpush.job.functions;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachedValueStateTest {

    /** A keyed value state on a map, counting the reads that reach it. */
    private static final class MapValueState implements ValueState<String> {
        final Map<Long, String> values = new HashMap<>();
        long currentKey;
        int reads;

        @Override
        public String value() {
            reads++;
            return values.get(currentKey);
        }

        @Override
        public void update(String value) {
            values.put(currentKey, value);
        }

        @Override
        public void clear() {
            values.remove(currentKey);
        }
    }

    private final MapValueState state = new MapValueState();
    private final CachedValueState<String> cached = CachedValueState.writeThrough(state, 4);

    /** The operator's key context, as the write-back copy switches it. */
    private final KeyContext keyContext = new KeyContext() {
        @Override
        public void setCurrentKey(Object key) {
            state.currentKey = (Long) key;
        }

        @Override
        public Object getCurrentKey() {
            return state.currentKey;
        }
    };

    private String read(long key) throws Exception {
        state.currentKey = key;
        return cached.value(key);
    }

    private void write(long key, String value) throws Exception {
        write(cached, key, value);
    }

    private void write(CachedValueState<String> copy, long key, String value) throws Exception {
        state.currentKey = key;
        copy.update(key, value);
    }

    @Test
    void writesReachTheStateAndRereadsDoNot() throws Exception {
        write(1, "a");
        assertThat(state.values).containsEntry(1L, "a");
        assertThat(read(1)).isEqualTo("a");
        assertThat(read(1)).isEqualTo("a");
        assertThat(state.reads).isZero();

        state.currentKey = 1;
        cached.clear(1);
        assertThat(state.values).doesNotContainKey(1L);
        assertThat(read(1)).isNull();
        assertThat(state.reads).as("a cleared value is known to be absent").isZero();
    }

    @Test
    void aValueWrittenElsewhereIsReadOnceThenKept() throws Exception {
        state.values.put(2L, "restored");
        assertThat(read(2)).isEqualTo("restored");
        assertThat(read(2)).isEqualTo("restored");
        assertThat(state.reads).isEqualTo(1);
    }

    @Test
    void keysBeyondTheSlotsTakeTurnsAndAlwaysReadTheirOwnValue() throws Exception {
        for (long key = 1; key <= 100; key++) {
            write(key, "v" + key);
        }
        for (int round = 0; round < 3; round++) {
            for (long key = 1; key <= 100; key++) {
                assertThat(read(key)).isEqualTo("v" + key);
            }
        }
        assertThat(state.reads).as("four slots cannot hold 100 keys").isGreaterThan(200).isLessThanOrEqualTo(300);
    }

    @Test
    void writeBackKeepsWritesUntilEvictedOrFlushedUnderTheirOwnKey() throws Exception {
        CachedValueState<String> back = CachedValueState.writeBack(state, 4, keyContext);
        for (long key = 1; key <= 100; key++) {
            write(back, key, "v" + key);
            write(back, key, "w" + key);
            assertThat(state.currentKey).as("an eviction writes under its own key and switches back").isEqualTo(key);
        }
        assertThat(state.values).as("evicted keys were written, the last few are still pending")
                .hasSizeBetween(96, 99).doesNotContainKey(100L);
        state.currentKey = 100;
        back.flush();
        assertThat(state.currentKey).isEqualTo(100L);
        assertThat(state.values).hasSize(100);
        for (long key = 1; key <= 100; key++) {
            assertThat(state.values).containsEntry(key, "w" + key);
        }

        state.currentKey = 100;
        back.clear(100);
        assertThat(state.values).as("a removal is pending too").containsKey(100L);
        back.flush();
        assertThat(state.values).doesNotContainKey(100L);
        int writes = state.values.size();
        back.flush();
        assertThat(state.values).as("a flushed copy has nothing left to write").hasSize(writes);
    }

    @Test
    void writeBackReadsAnEvictedValueFromTheState() throws Exception {
        CachedValueState<String> back = CachedValueState.writeBack(state, 4, keyContext);
        for (long key = 1; key <= 100; key++) {
            write(back, key, "v" + key);
        }
        for (long key = 1; key <= 100; key++) {
            state.currentKey = key;
            assertThat(back.value(key)).isEqualTo("v" + key);
        }
    }

    @Test
    void slotsArePowersOfTwo() {
        assertThatThrownBy(() -> CachedValueState.writeThrough(state, 6)).hasMessageContaining("power of two");
    }
}
