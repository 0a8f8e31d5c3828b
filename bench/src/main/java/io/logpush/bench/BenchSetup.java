package io.logpush.bench;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What one contender's run works on: Kafka, the workload and its topics, a consumer group of its
 * own, where to write, and whether the sources stop at the topics' current end.
 */
record BenchSetup(Properties kafka, Workload workload, BenchTopics topics, String groupId, Path output, boolean bounded) {}
