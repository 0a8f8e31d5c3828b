package io.logpush.job.functions;

import org.apache.flink.api.common.state.MapState;

import java.util.Iterator;
import java.util.Map;

/**
 * Reads a batch's buffered records back in index order with one range scan of the job's map state
 * instead of one point lookup per record: RocksDB iterates a key's map entries in serialized-key
 * order, which for non-negative longs (big-endian) is numeric order. A backend that iterates in
 * another order is noticed at the first mismatch and read by lookups from there on. A small batch
 * is read by lookups only: opening a RocksDB iterator costs more than a few point reads, and with
 * many jobs most batches are small.
 */
final class RecordScan {

    private final MapState<Long, byte[]> records;
    private Iterator<Map.Entry<Long, byte[]>> entries;

    /** Batches of at most this many records are read (and cleared) by point operations. */
    static final long SMALL_BATCH = 32;

    RecordScan(MapState<Long, byte[]> records, long count) throws Exception {
        this.records = records;
        this.entries = count > SMALL_BATCH ? records.iterator() : null;
    }

    /** Removes the {@code count} records of a batch. */
    static void clear(MapState<Long, byte[]> records, long count) throws Exception {
        if (count > SMALL_BATCH) {
            records.clear();
        } else {
            for (long i = 0; i < count; i++) {
                records.remove(i);
            }
        }
    }

    /** The record stored at {@code index}; ask for 0, 1, 2, ... in turn. */
    byte[] next(long index) throws Exception {
        if (entries != null && entries.hasNext()) {
            Map.Entry<Long, byte[]> entry = entries.next();
            if (entry.getKey() == index) {
                return entry.getValue();
            }
            entries = null;
        }
        return records.get(index);
    }
}
