package io.logpush.job.functions;

import org.apache.flink.api.common.state.ValueState;

import java.io.IOException;

/**
 * A keyed {@link ValueState} with a bounded, direct-mapped, write-through copy of the values it
 * wrote or read last, so that reading a key's value again costs no state-backend read (a RocksDB
 * get and a deserialization). The state stays the record of truth and is written as before; the
 * copy holds at most {@code slots} values, whatever the number of keys.
 *
 * <p>Correct while every write of the state goes through this class and each call names the
 * current key. The copy starts empty with each operator instance, so restores and failovers
 * read from the state.
 */
final class CachedValueState<V> {

    private final ValueState<V> state;
    private final long[] keys;
    private final Object[] values;
    private final boolean[] known;
    private final int mask;

    CachedValueState(ValueState<V> state, int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.state = state;
        this.keys = new long[slots];
        this.values = new Object[slots];
        this.known = new boolean[slots];
        this.mask = slots - 1;
    }

    /** The current key's value (null if none). */
    @SuppressWarnings("unchecked")
    V value(long key) throws IOException {
        int slot = slot(key);
        if (known[slot] && keys[slot] == key) {
            return (V) values[slot];
        }
        V value = state.value();
        remember(slot, key, value);
        return value;
    }

    /** Sets the current key's value. */
    void update(long key, V value) throws IOException {
        state.update(value);
        remember(slot(key), key, value);
    }

    /** Removes the current key's value. */
    void clear(long key) {
        state.clear();
        remember(slot(key), key, null);
    }

    private void remember(int slot, long key, V value) {
        keys[slot] = key;
        values[slot] = value;
        known[slot] = true;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L; // job ids are often sequential: spread them
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
