package io.logpush.job.functions;

import org.apache.flink.api.common.state.MapState;

import java.util.Iterator;
import java.util.Map;

/**
 * Reads a batch's buffered records back in index order with one range scan of the job's map state
 * instead of one point lookup per record: RocksDB iterates a key's map entries in serialized-key
 * order, which for non-negative longs (big-endian) is numeric order. A backend that iterates in
 * another order is noticed at the first mismatch and read by lookups from there on.
 */
final class RecordScan {

    private final MapState<Long, byte[]> records;
    private Iterator<Map.Entry<Long, byte[]>> entries;

    RecordScan(MapState<Long, byte[]> records) throws Exception {
        this.records = records;
        this.entries = records.iterator();
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
