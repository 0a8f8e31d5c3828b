package io.logpush.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.util.HashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The baseline a Flink user would write without us: parse every event, keep those whose zone has a
 * job (a static set), and write them with Flink's {@link FileSink}, one bucket per job: in row
 * format, default rolling policy, uncompressed; or, for the same output format as ours, in bulk
 * format through {@link GZIPOutputStream} (zlib's default level, as ours), a part file per bucket
 * per checkpoint. It has no per-job limits, field selection, filters, config changes or dead
 * letters: it does less work than our pipeline, which is the point of comparing.
 */
final class NaiveFileSinkJob {

    private NaiveFileSinkJob() {}

    /** @param gzip whether to write gzip part files (bulk format) instead of uncompressed ones (row format) */
    static void build(StreamExecutionEnvironment env, BenchSetup setup, boolean gzip) {
        HashMap<String, Long> jobs = new HashMap<>();
        for (int rank = 0; rank < setup.workload().jobs(); rank++) {
            jobs.put(Workload.jobOwner(rank), rank + 1L);
        }
        Path output = new Path(setup.output().toUri());
        FileSink<Tuple2<Long, byte[]>> sink = gzip
                ? FileSink.forBulkFormat(output, new GzipLines())
                        .withBucketAssigner(new JobBucketAssigner())
                        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".gz").build())
                        .build()
                : FileSink.forRowFormat(output, (Encoder<Tuple2<Long, byte[]>>) (element, stream) -> {
                            stream.write(element.f1);
                            stream.write('\n');
                        })
                        .withBucketAssigner(new JobBucketAssigner())
                        .build();
        env.fromSource(setup.eventValues(), WatermarkStrategy.noWatermarks(), "Events topic").uid("events-source")
                .flatMap(new ParseAndSelect(jobs)).returns(Types.TUPLE(Types.LONG, Types.PRIMITIVE_ARRAY(Types.BYTE)))
                .uid("parse").name("Parse, select configured jobs")
                .sinkTo(sink).uid("file-sink").name("FileSink");
    }

    /** Parses the event and emits (job id, event) when its zone has a job. */
    private static final class ParseAndSelect extends RichFlatMapFunction<byte[], Tuple2<Long, byte[]>> {
        private static final long serialVersionUID = 1L;
        private final HashMap<String, Long> jobs;
        private transient ObjectMapper json;

        ParseAndSelect(HashMap<String, Long> jobs) {
            this.jobs = jobs;
        }

        @Override
        public void open(OpenContext openContext) {
            json = new ObjectMapper();
        }

        @Override
        public void flatMap(byte[] value, Collector<Tuple2<Long, byte[]>> out) throws Exception {
            JsonNode event = json.readTree(value);
            Long job = jobs.get(event.path("ZoneName").asText());
            if (job != null) {
                out.collect(Tuple2.of(job, value));
            }
        }
    }

    /** Each part file one gzip stream of the events, a line each: what a user would write for gzip objects. */
    private static final class GzipLines implements BulkWriter.Factory<Tuple2<Long, byte[]>> {
        private static final long serialVersionUID = 1L;

        @Override
        public BulkWriter<Tuple2<Long, byte[]>> create(FSDataOutputStream out) throws IOException {
            GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024);
            return new BulkWriter<>() {
                @Override
                public void addElement(Tuple2<Long, byte[]> element) throws IOException {
                    gzip.write(element.f1);
                    gzip.write('\n');
                }

                @Override
                public void flush() throws IOException {
                    gzip.flush();
                }

                @Override
                public void finish() throws IOException {
                    gzip.finish(); // the sink closes the stream
                }
            };
        }
    }

    /** One bucket (folder) per job. */
    private static final class JobBucketAssigner implements BucketAssigner<Tuple2<Long, byte[]>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(Tuple2<Long, byte[]> element, Context context) {
            return "job-" + element.f0;
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
