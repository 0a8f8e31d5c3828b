package io.logpush.sink.delivery;

import io.logpush.sink.committer.BatchCommittable;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.util.Collector;

/** The committables the committer has made visible in the staging area; the summaries are dropped. */
public final class CommittedBatches implements FlatMapFunction<CommittableMessage<BatchCommittable>, BatchCommittable> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(CommittableMessage<BatchCommittable> message, Collector<BatchCommittable> out) {
        if (message instanceof CommittableWithLineage<BatchCommittable> committed) {
            out.collect(committed.getCommittable());
        }
    }
}
