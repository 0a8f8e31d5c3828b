package io.logpush.job.deploy;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** flink-conf/config.yaml, read by Flink's own loader, says what the product's promises rely on. */
class FlinkConfTest {

    private static Configuration load() {
        return GlobalConfiguration.loadConfiguration(Path.of("..", "flink-conf").toAbsolutePath().toString());
    }

    @Test
    void statePromisesHold() {
        Configuration conf = load();
        assertThat(conf.getString("state.backend.type", null)).isEqualTo("rocksdb");
        assertThat(conf.getString("state.backend.rocksdb.timer-service.factory", null)).isEqualTo("ROCKSDB");
        assertThat(conf.getString("execution.checkpointing.mode", null)).isEqualTo("EXACTLY_ONCE");
        assertThat(conf.getString("execution.checkpointing.incremental", null)).isEqualTo("true");
        assertThat(conf.getString("execution.checkpointing.externalized-checkpoint-retention", null)).isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(conf.getString("execution.checkpointing.dir", null)).startsWith("s3://");
        assertThat(conf.getString("execution.checkpointing.savepoint-dir", null)).startsWith("s3://");
    }

    @Test
    void s3AndJavaSettingsAreThere() {
        Configuration conf = load();
        assertThat(conf.getString("s3.path.style.access", null)).isEqualTo("true");
        assertThat(conf.getString("s3.access-key", null)).as("credentials come from the environment").isNull();
        assertThat(conf.getString("env.java.opts.all", "")).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
        assertThat(conf.getString("restart-strategy.type", null)).isEqualTo("exponential-delay");
    }
}
