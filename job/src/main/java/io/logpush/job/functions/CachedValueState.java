package io.logpush.job.functions;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.function.ThrowingRunnable;

import java.io.IOException;

/**
 * A keyed {@link ValueState} with a bounded, direct-mapped copy of the values it wrote or read
 * last, so that reading a key's value again costs no state-backend read (a RocksDB get and a
 * deserialization). The copy holds at most {@code slots} values, whatever the number of keys.
 *
 * <p>Write-through ({@link #writeThrough}): each write reaches the state at once. Write-back
 * ({@link #writeBack}): a write stays in the copy until its slot is taken by another key or
 * {@link #flush()} runs, so a value written per record costs one state write per eviction or
 * checkpoint instead of one per record. A write-back copy must be flushed before each snapshot and
 * before anything reads the state other than through this class (such as listing its keys).
 *
 * <p>Correct while every access of the state goes through this class and each call names the
 * current key. The copy starts empty with each operator instance, so restores and failovers read
 * from the state.
 */
final class CachedValueState<V> {

    private final ValueState<V> state;
    /** Switches the state's current key to write an evicted value back; null: write-through. */
    private final KeyContext writeBack;
    private final long[] keys;
    private final Object[] values;
    private final boolean[] known;
    /** Slots whose value the state does not have yet (write-back only). */
    private final boolean[] pending;
    private final int mask;

    private CachedValueState(ValueState<V> state, int slots, KeyContext writeBack) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.state = state;
        this.writeBack = writeBack;
        this.keys = new long[slots];
        this.values = new Object[slots];
        this.known = new boolean[slots];
        this.pending = new boolean[slots];
        this.mask = slots - 1;
    }

    /** A copy whose writes reach the state at once. */
    static <V> CachedValueState<V> writeThrough(ValueState<V> state, int slots) {
        return new CachedValueState<>(state, slots, null);
    }

    /** A copy whose writes reach the state when evicted or flushed, under the key {@code keys} switches to. */
    static <V> CachedValueState<V> writeBack(ValueState<V> state, int slots, KeyContext keys) {
        return new CachedValueState<>(state, slots, keys);
    }

    /** The current key's value (null if none). */
    @SuppressWarnings("unchecked")
    V value(long key) throws IOException {
        int slot = slot(key);
        if (known[slot] && keys[slot] == key) {
            return (V) values[slot];
        }
        V value = state.value();
        remember(slot, key, value, false);
        return value;
    }

    /** Sets the current key's value. */
    void update(long key, V value) throws IOException {
        if (writeBack == null) {
            state.update(value);
        }
        remember(slot(key), key, value, writeBack != null);
    }

    /** Removes the current key's value. */
    void clear(long key) throws IOException {
        if (writeBack == null) {
            state.clear();
        }
        remember(slot(key), key, null, writeBack != null);
    }

    /** Writes every value the state does not have yet; the current key is the same afterwards. */
    void flush() throws IOException {
        if (writeBack == null) {
            return;
        }
        for (int slot = 0; slot < keys.length; slot++) {
            if (pending[slot]) {
                writeOut(slot);
            }
        }
    }

    private void remember(int slot, long key, V value, boolean write) throws IOException {
        if (pending[slot] && keys[slot] != key) {
            writeOut(slot);
        }
        keys[slot] = key;
        values[slot] = value;
        known[slot] = true;
        pending[slot] = write;
    }

    @SuppressWarnings("unchecked")
    private void writeOut(int slot) throws IOException {
        underKey(writeBack, keys[slot], () -> {
            if (values[slot] == null) {
                state.clear();
            } else {
                state.update((V) values[slot]);
            }
        });
        pending[slot] = false;
    }

    /** Runs {@code write} with the state's current key switched to {@code key}, then switches it back. */
    static <E extends Exception> void underKey(KeyContext keys, long key, ThrowingRunnable<E> write) throws E {
        Object current = keys.getCurrentKey();
        keys.setCurrentKey(key);
        try {
            write.run();
        } finally {
            if (current != null) {
                keys.setCurrentKey(current);
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L; // job ids are often sequential: spread them
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
