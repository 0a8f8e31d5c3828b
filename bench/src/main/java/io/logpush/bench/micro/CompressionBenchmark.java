package io.logpush.bench.micro;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/** Gzip of a 1 MiB batch of encoded records, as the sink writes it (64 KiB buffer, default level). */
@State(Scope.Thread)
public class CompressionBenchmark {

    private byte[] batch;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(1 << 20);

    @Setup
    public void setUp(HotPathState state) {
        byte[] record = new io.logpush.config.output.RecordEncoder(state.job.outputOptions(), state.job.dataset()).encode(state.parsed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        while (out.size() < (1 << 20)) {
            out.writeBytes(record);
        }
        batch = out.toByteArray();
    }

    /** One MiB in, the compressed size out (bytes per second: 1 MiB × ops/s). */
    @Benchmark
    public int gzipOneMiB() throws IOException {
        sink.reset();
        try (GZIPOutputStream gzip = new GZIPOutputStream(sink, 64 << 10)) {
            gzip.write(batch);
        }
        return sink.size();
    }
}
