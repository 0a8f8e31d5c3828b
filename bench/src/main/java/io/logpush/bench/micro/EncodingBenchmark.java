package io.logpush.bench.micro;

import io.logpush.config.output.RecordEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** What the router does per event of a configured job: parse the JSON, test the job's filter, select and encode fields. */
@State(Scope.Thread)
public class EncodingBenchmark {

    private RecordEncoder encoder;

    @Setup
    public void setUp(HotPathState state) {
        encoder = new RecordEncoder(state.job.outputOptions(), state.job.dataset());
    }

    @Benchmark
    public Object parse(HotPathState state) throws Exception {
        return state.json.readTree(state.event);
    }

    @Benchmark
    public boolean filter(HotPathState state) {
        return state.job.filter().test(state.parsed);
    }

    @Benchmark
    public byte[] selectAndEncode(HotPathState state) {
        return encoder.encode(state.parsed);
    }

    @Benchmark
    public byte[] parseFilterEncode(HotPathState state) throws Exception {
        var node = state.json.readTree(state.event);
        return state.job.filter().test(node) ? encoder.encode(node) : null;
    }
}
