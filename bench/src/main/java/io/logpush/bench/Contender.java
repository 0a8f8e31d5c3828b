package io.logpush.bench;

import io.logpush.config.Dataset;
import io.logpush.config.broadcast.KafkaConfigBootstrap;
import io.logpush.job.LogpushPipeline;
import io.logpush.job.PipelineSettings;
import io.logpush.job.functions.HotJobs;
import io.logpush.job.kafka.LogpushKafka;
import io.logpush.sink.BatchFileSink;
import io.logpush.sink.Compression;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.time.Duration;

/** A job the benchmark measures on a workload's topic. */
enum Contender {

    /** How fast Flink can merely read the topic here: KafkaSource, values as bytes, to a discarding sink. */
    CEILING("KafkaSource → discarding sink") {
        @Override
        void build(StreamExecutionEnvironment env, BenchSetup setup) {
            env.fromSource(setup.eventValues(), WatermarkStrategy.noWatermarks(), "Events topic").uid("events-source")
                    .sinkTo(new DiscardingSink<>()).uid("discard").name("Discarding sink");
        }
    },

    /** What a user would write with stock Flink: parse, filter by a static job set, FileSink with a bucket per job. */
    NAIVE("KafkaSource → parse → static job filter → FileSink (bucket per job)") {
        @Override
        void build(StreamExecutionEnvironment env, BenchSetup setup) {
            NaiveFileSinkJob.build(env, setup, false);
        }
    },

    /** The naive job writing gzip files, ours' output format: FileSink in bulk format through a GZIPOutputStream. */
    NAIVE_GZIP("KafkaSource → parse → static job filter → FileSink bulk format, gzip (bucket per job)") {
        @Override
        void build(StreamExecutionEnvironment env, BenchSetup setup) {
            NaiveFileSinkJob.build(env, setup, true);
        }
    },

    /** Our pipeline, whole: config stage, router, RocksDB job buffers, exactly-once gzip batches, DLQ and status topics. */
    OURS("Logpush on Flink (RocksDB, exactly once, gzip batches)") {
        @Override
        void build(StreamExecutionEnvironment env, BenchSetup setup) {
            PipelineSettings settings = PipelineSettings.defaults(
                            new KafkaConfigBootstrap(setup.kafka(), setup.topics().config(), Duration.ofMinutes(5)))
                    .withPolicy(BenchJobs.POLICY).withHotJobs(setup.hotJobLanes(), HotJobs.DEFAULT_RECORDS_PER_SECOND);
            String name = setup.groupId();
            Dataset topicDataset = setup.datasetHeader() ? null : WorkloadLoader.DATASET;
            BatchFileSink.Builder sink = BatchFileSink.builder()
                    .staging(setup.output().resolveSibling(setup.output().getFileName() + "-staging").toUri().toString());
            if (setup.gzipLevel() == 0) {
                sink.compression(Compression.NONE); // --gzip-level 0: like for like with the naive job
            } else {
                sink.gzipLevel(setup.gzipLevel());
            }
            LogpushPipeline.build(env,
                    setup.bounded() ? LogpushKafka.eventsToEnd(setup.kafka(), setup.topics().events(), topicDataset, name)
                            : LogpushKafka.events(setup.kafka(), setup.topics().events(), topicDataset, name),
                    setup.bounded() ? LogpushKafka.configsToEnd(setup.kafka(), setup.topics().config(), name)
                            : LogpushKafka.configs(setup.kafka(), setup.topics().config(), name),
                    sink.build(),
                    LogpushKafka.deadLetters(setup.kafka(), setup.topics().deadLetters(), name),
                    LogpushKafka.configStatus(setup.kafka(), setup.topics().status()), settings);
        }
    };

    private final String description;

    Contender(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    String label() {
        return name().toLowerCase();
    }

    abstract void build(StreamExecutionEnvironment env, BenchSetup setup);
}
