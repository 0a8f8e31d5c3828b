package io.logpush.bench;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What one contender's run works on: Kafka, the workload and its topics, a consumer group of its
 * own, where to write, and whether the sources stop at the topics' current end.
 *
 * @param gzipLevel our sink's deflate level, 1 to 9; 0 for uncompressed objects
 * @param hotJobLanes the lanes our pipeline spreads a hot job over; 0 for the job's default (the parallelism)
 * @param datasetHeader whether the events name their dataset in a header; if not, ours reads the
 *     topic as {@link WorkloadLoader#DATASET}'s
 */
record BenchSetup(Properties kafka, Workload workload, BenchTopics topics, String groupId, Path output, boolean bounded,
                  int gzipLevel, int hotJobLanes, boolean datasetHeader) {

    /** The events topic as plain values, from the beginning (to its current end if bounded): what the baselines read. */
    KafkaSource<byte[]> eventValues() {
        KafkaSourceBuilder<byte[]> source = KafkaSource.<byte[]>builder()
                .setProperties(kafka)
                .setTopics(topics.events())
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class));
        if (bounded) {
            source.setBounded(OffsetsInitializer.latest());
        }
        return source.build();
    }
}
