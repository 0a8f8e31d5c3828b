package io.logpush.config.broadcast;

import io.logpush.config.guard.GuardSettings;
import io.logpush.config.testutils.Jobs;
import io.logpush.config.topic.ChangeId;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatusCodec;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The config stage operator: what it broadcasts, what it reports, its guard timer and its checkpointed state. */
class ConfigStageFunctionTest {

    private static final long T0 = 1_731_578_400_000L;

    private KeyedOneInputStreamOperatorTestHarness<Byte, ConfigTopicRecord, ConfigUpdate> harness;
    private long offset;

    private static KeyedOneInputStreamOperatorTestHarness<Byte, ConfigTopicRecord, ConfigUpdate> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ConfigStageFunction(Jobs.TEST_POLICY, GuardSettings.DEFAULT)),
                r -> (byte) 0, Types.BYTE);
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = harness();
        harness.open();
        harness.setProcessingTime(T0);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(ProducerRecord<byte[], byte[]> record) throws Exception {
        harness.processElement(new ConfigTopicRecord(record.key(), record.value(), offset++, T0), T0);
    }

    private List<ConfigStatus> statuses() {
        return harness.getSideOutput(ConfigStageFunction.STATUS).stream().map(StreamRecord::getValue)
                .map(kv -> ConfigStatusCodec.decode(kv.key(), kv.value())).toList();
    }

    @Test
    void broadcastsValidConfigsAndReportsEveryRecord() throws Exception {
        send(ConfigRecordCodec.upsert("t", 1, Jobs.httpJobJson(1, "z1", true)));
        send(ConfigRecordCodec.upsert("t", 2, "{\"id\":2}"));
        assertThat(harness.extractOutputValues()).extracting(ConfigUpdate::jobId).containsExactly(1L);
        assertThat(statuses()).extracting(s -> ((ConfigStatus.JobStatus) s).state())
                .containsExactly(ConfigStatus.State.APPLIED, ConfigStatus.State.REJECTED);
    }

    @Test
    void aBlankConfigIsHeldByTheTimerAndSurvivesACheckpoint() throws Exception {
        for (long job = 1; job <= 5; job++) {
            send(ConfigRecordCodec.upsert("t", job, Jobs.httpJobJson(job, "z" + job, true)));
        }
        for (long job = 1; job <= 5; job++) {
            send(ConfigRecordCodec.delete("t", job));
        }
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(T0 + GuardSettings.DEFAULT.decisionDelay().toMillis());
        assertThat(harness.extractOutputValues()).as("no deletion broadcast").hasSize(5);
        ConfigStatus.GuardStatus guard = (ConfigStatus.GuardStatus) statuses().get(statuses().size() - 1);
        assertThat(guard.held()).hasSize(5);

        // A new attempt restored from a checkpoint still holds the changes, and a confirmation releases them.
        OperatorSubtaskState snapshot = harness.snapshot(1, T0);
        harness.close();
        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        List<ChangeId> ids = guard.held().stream().map(ConfigStatus.HeldChange::id).toList();
        send(ConfigRecordCodec.confirm("t", ids));
        assertThat(harness.extractOutputValues()).hasSize(5).allMatch(ConfigUpdate::isDelete);
    }
}
