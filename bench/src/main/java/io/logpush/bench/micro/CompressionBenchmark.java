package io.logpush.bench.micro;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpush.config.output.RecordEncoder;
import io.logpush.job.generator.HttpRequestsGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.zip.Deflater;

/**
 * Deflate of a 1 MiB batch of distinct encoded records (generated events, the typical job's
 * fields), at the sink's default level and at faster ones, for the operator who trades object size
 * for CPU (steps.md §28 has the sizes). Distinct records matter: one record repeated compresses
 * several times faster than real batches do.
 */
@State(Scope.Thread)
public class CompressionBenchmark {

    @Param({"6", "5", "3", "1"})
    public int level;

    private byte[] batch;
    private final byte[] out = new byte[2 << 20];
    private Deflater deflater;

    @Setup
    public void setUp(HotPathState state) throws Exception {
        RecordEncoder encoder = new RecordEncoder(state.job.outputOptions(), state.job.dataset());
        HttpRequestsGenerator generator = new HttpRequestsGenerator(1_000, 42);
        ObjectMapper json = new ObjectMapper();
        ByteArrayOutputStream records = new ByteArrayOutputStream(1 << 20);
        Instant time = Instant.parse("2024-11-14T10:00:00Z");
        for (long i = 0; records.size() < (1 << 20); i++) {
            String event = generator.event("zone-00007", HttpRequestsGenerator.rayId(1, i), time.plusMillis(i));
            records.writeBytes(encoder.encode(json.readTree(event)));
        }
        batch = records.toByteArray();
        deflater = new Deflater(level, true);
    }

    @TearDown
    public void tearDown() {
        deflater.end();
    }

    /** One MiB in, the compressed size out (bytes per second: 1 MiB × ops/s). */
    @Benchmark
    public int deflateOneMiB() {
        deflater.reset();
        deflater.setInput(batch);
        deflater.finish();
        int size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(out, size, out.length - size);
        }
        return size;
    }
}
