package io.logpush.job.functions;

import io.logpush.job.records.JobFrameUpdate;
import io.logpush.job.records.RoutedRecord;
import io.logpush.sink.BatchChunk;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

import java.util.List;
import java.util.stream.Stream;

/**
 * Runs {@link JobBuffer} and closes every open batch when both of its inputs end (a bounded run,
 * or {@code stop --drain}). An end-of-input timer per batch did that before: at many jobs each
 * registration was a RocksDB write, once per object. It also lends the buffer its key context, so
 * that the buffer keeps each open batch's counters and latest page of records on the heap and
 * writes them to state when evicted or checkpointed rather than once per record; and it moves the
 * records that savepoints of earlier versions hold one per entry into pages.
 */
public final class JobBufferOperator extends KeyedCoProcessOperator<Long, RoutedRecord, JobFrameUpdate, BatchChunk>
        implements BoundedMultiInput {

    private static final long serialVersionUID = 1L;

    private int endedInputs;

    public JobBufferOperator(JobBuffer buffer) {
        super(buffer);
    }

    @Override
    public void open() throws Exception {
        buffer().keyContext = this; // before the buffer opens: it keeps counters and pages on the heap then
        super.open();
        for (long job : keysOf(JobBuffer.RECORDS.getName())) {
            setCurrentKey(job);
            buffer().moveRecordsOfEarlierVersion(job);
        }
    }

    /** The keys that have a value in a state, collected first: acting on them changes the state they come from. */
    private List<Long> keysOf(String state) {
        try (Stream<Long> keys = this.<Long>getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.distinct().toList();
        }
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (++endedInputs < 2) {
            return; // a frame may still come for records held by a job's buffer
        }
        buffer().flushCachedCounters(); // the keys are listed from state
        for (long job : keysOf(JobBuffer.BATCH.getName())) {
            setCurrentKey(job);
            // The same call as an end-of-input timer that a savepoint of an earlier version holds.
            onEventTime(new TimerHeapInternalTimer<>(JobBuffer.END_OF_INPUT, job, VoidNamespace.INSTANCE));
        }
    }

    private JobBuffer buffer() {
        return (JobBuffer) userFunction;
    }
}
