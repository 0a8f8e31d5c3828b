package io.logpush.sink;

import io.logpush.sink.testutils.Batches;
import io.logpush.sink.testutils.BatchSpec;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink's promise end to end on a MiniCluster with RocksDB: with failures injected after the
 * first completed checkpoint and again later, every record appears exactly once across the visible
 * objects, and every object is one whole batch with a Cloudflare-style name. Subclasses choose the
 * file system.
 */
abstract class BatchFileSinkITCaseBase {

    static final int JOBS = 7;
    static final int BATCHES = 700;
    private static final Pattern NAME = Pattern.compile("\\d{8}T\\d{6}Z_\\d{8}T\\d{6}Z_[0-9a-f]{8}\\.log\\.gz");
    private static final Pattern RECORD = Pattern.compile("\\{\"job\":(\\d+),\"batch\":(\\d+),\"record\":(\\d+)}");

    /** Failures injected so far; static because the MiniCluster runs in this JVM. */
    static final AtomicInteger FAILURES = new AtomicInteger();
    static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();
    static final AtomicInteger FIRST_FAILURE_AT = new AtomicInteger(Integer.MAX_VALUE - 4);

    /** A MiniCluster with a slot per subtask of the test job. */
    static MiniClusterExtension miniCluster() {
        return miniCluster(Configuration::new);
    }

    /** The same, configured when it starts (e.g. with an S3 server's endpoint, known only then). */
    static MiniClusterExtension miniCluster(Supplier<Configuration> configuration) {
        return new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(configuration.get())
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }

    /** The directory URI under which the sink writes, without a trailing slash. */
    abstract String outputRoot();

    /** How fast the test's batches come: slow enough for several checkpoints to complete between the two failures. */
    int batchesPerSecond() {
        return 250;
    }

    /** The sink's staging area, without a trailing slash. */
    abstract String stagingRoot();

    /** Every visible object under the output root: name and uncompressed content. */
    abstract Map<String, String> readVisibleObjects() throws Exception;

    @Test
    void everyRecordIsDeliveredExactlyOnceAcrossFailovers() throws Exception {
        FAILURES.set(0);
        COMPLETED_CHECKPOINTS.set(0);
        FIRST_FAILURE_AT.set(Integer.MAX_VALUE - 4);
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "150 ms");
        conf.setString("execution.checkpointing.dir", checkpointDir().toUri().toString());
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "10");
        conf.setString("restart-strategy.fixed-delay.delay", "50 ms");
        conf.setString("pipeline.generic-types", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        DataGeneratorSource<BatchSpec> source = new DataGeneratorSource<>(
                index -> BatchSpec.of(index, JOBS), BATCHES, RateLimiterStrategy.perSecond(batchesPerSecond()), TypeInformation.of(BatchSpec.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "batch specs")
                .keyBy(BatchSpec::job)
                .flatMap(new ChunkingFunction(outputRoot(), true))
                .uid("chunker").name("Emit batch chunks")
                .sinkTo(BatchFileSink.builder().staging(stagingRoot()).build())
                .uid("batch-file-sink").name("Batch file sink");

        assertThat(TypeInformation.of(BatchChunk.class)).as("chunks travel without Kryo").isInstanceOf(PojoTypeInfo.class);
        env.execute("batch file sink exactly-once");

        assertThat(FAILURES.get()).as("both failures were injected").isEqualTo(2);
        assertExactlyOnce(readVisibleObjects());
        assertThat(stagedObjects()).as("nothing left in the staging area").isEmpty();
    }

    /** The objects still in the staging area. */
    abstract List<String> stagedObjects() throws Exception;

    /** Every record of the run's batches exactly once, one whole batch per visible object, well named. */
    static void assertExactlyOnce(Map<String, String> objects) {
        assertExactlyOnce(objects, JOBS, BATCHES);
    }

    /** The same for a run of {@code batches} batches over {@code jobs} jobs. */
    static void assertExactlyOnce(Map<String, String> objects, int jobs, int batches) {
        Map<String, Integer> seen = new HashMap<>();
        for (Map.Entry<String, String> object : objects.entrySet()) {
            String name = object.getKey().substring(object.getKey().lastIndexOf('/') + 1);
            assertThat(name).matches(NAME);
            Matcher records = RECORD.matcher(object.getValue());
            int count = 0;
            String batch = null;
            while (records.find()) {
                count++;
                String thisBatch = records.group(1) + "/" + records.group(2);
                assertThat(batch == null || batch.equals(thisBatch)).as("one batch per object: %s", object.getKey()).isTrue();
                batch = thisBatch;
                assertThat(object.getKey()).contains("/job-" + records.group(1) + "/");
                seen.merge(records.group(0), 1, Integer::sum);
            }
            assertThat(count).as("records in %s", object.getKey()).isBetween(1, BatchSpec.MAX_RECORDS);
        }
        long expectedRecords = 0;
        for (long index = 0; index < batches; index++) {
            expectedRecords += BatchSpec.of(index, jobs).records();
        }
        assertThat(objects).hasSize(batches);
        assertThat(seen).hasSize((int) expectedRecords);
        assertThat(seen.values()).as("no record twice").containsOnly(1);
    }

    abstract Path checkpointDir();

    /**
     * Expands each batch into its chunks in one go, as the buffering operator does, and injects
     * the failures in the middle of a batch's chunks: the first once checkpoints have completed
     * (and committed batches), the second several checkpoints later.
     */
    static final class ChunkingFunction extends RichFlatMapFunction<BatchSpec, BatchChunk> implements CheckpointListener {
        private final String root;
        private final Map<Long, String> rootByJob;
        private final boolean injectFailures;
        private transient int emitted;

        ChunkingFunction(String root, boolean injectFailures) {
            this(root, Map.of(), injectFailures);
        }

        /** Jobs in {@code rootByJob} write under their own root, the others under {@code root}. */
        ChunkingFunction(String root, Map<Long, String> rootByJob, boolean injectFailures) {
            this.root = root;
            this.rootByJob = new HashMap<>(rootByJob);
            this.injectFailures = injectFailures;
        }

        @Override
        public void open(OpenContext openContext) {
            emitted = 0;
        }

        @Override
        public void flatMap(BatchSpec spec, Collector<BatchChunk> out) {
            BatchDescriptor descriptor = Batches.descriptor(Path.of("/unused"), spec.job(), spec.sequence(), spec.records());
            descriptor = new BatchDescriptor(descriptor.jobId(), descriptor.configVersion(), descriptor.sequence(),
                    rootByJob.getOrDefault(spec.job(), root) + "/job-" + spec.job() + "/20241114", descriptor.firstRecord(), descriptor.lastRecord(),
                    descriptor.records(), descriptor.bytes());
            List<BatchChunk> chunks = Batches.chunks(descriptor, 1024);
            for (BatchChunk chunk : chunks) {
                out.collect(chunk);
                if (injectFailures && ++emitted > 20 && chunk.index() == 0 && chunks.size() > 1 && shouldFail()) {
                    throw new IllegalStateException("injected failure " + FAILURES.get() + " in the middle of " + descriptor);
                }
            }
        }

        /**
         * Counts checkpoint notifications of all subtasks: 4 means about two completed checkpoints.
         * The second failure comes about two checkpoints after the first attempt's restore.
         */
        private static boolean shouldFail() {
            int completed = COMPLETED_CHECKPOINTS.get();
            if (completed >= 4 && FAILURES.compareAndSet(0, 1)) {
                FIRST_FAILURE_AT.set(completed);
                return true;
            }
            return completed >= FIRST_FAILURE_AT.get() + 4 && FAILURES.compareAndSet(1, 2);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED_CHECKPOINTS.incrementAndGet();
        }
    }
}
