package io.logpush.bench.micro;

import io.logpush.config.output.RecordEncoder;
import io.logpush.job.functions.EventParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashSet;
import java.util.Set;

/** What the router does per event of a configured job: parse the JSON, test the job's filter, select and encode fields. */
@State(Scope.Thread)
public class EncodingBenchmark {

    private RecordEncoder encoder;
    private EventParser parser;
    /** The fields the job's filter and records read: all the router's parser keeps. */
    private Set<String> kept;

    @Setup
    public void setUp(HotPathState state) {
        encoder = new RecordEncoder(state.job.outputOptions(), state.job.dataset());
        parser = new EventParser(64);
        Set<String> fields = new HashSet<>(encoder.fields().orElseThrow());
        fields.addAll(state.job.filter().fields());
        kept = Set.copyOf(fields);
    }

    /** Jackson's whole tree, for comparison. */
    @Benchmark
    public Object parse(HotPathState state) throws Exception {
        return state.json.readTree(state.event);
    }

    /** What the router does: every token checked, only the fields the job reads kept. */
    @Benchmark
    public Object sparseParse(HotPathState state) throws Exception {
        return parser.parse(state.event, kept);
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

    /** The router's whole per-event work for one job. */
    @Benchmark
    public byte[] sparseParseFilterEncode(HotPathState state) throws Exception {
        var node = parser.parse(state.event, kept);
        return state.job.filter().test(node) ? encoder.encode(node) : null;
    }
}
