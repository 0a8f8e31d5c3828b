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
 * registration was a RocksDB write, once per object.
 */
public final class JobBufferOperator extends KeyedCoProcessOperator<Long, RoutedRecord, JobFrameUpdate, BatchChunk>
        implements BoundedMultiInput {

    private static final long serialVersionUID = 1L;

    private int endedInputs;

    public JobBufferOperator(JobBuffer buffer) {
        super(buffer);
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (++endedInputs < 2) {
            return; // a frame may still come for records held by a job's buffer
        }
        List<Long> jobs;
        try (Stream<Long> keys = this.<Long>getKeyedStateBackend().getKeys(JobBuffer.BATCH.getName(), VoidNamespace.INSTANCE)) {
            jobs = keys.toList(); // collected first: closing a batch changes the state the keys come from
        }
        for (long job : jobs) {
            setCurrentKey(job);
            // The same call as an end-of-input timer that a savepoint of an earlier version holds.
            onEventTime(new TimerHeapInternalTimer<>(JobBuffer.END_OF_INPUT, job, VoidNamespace.INSTANCE));
        }
    }
}
