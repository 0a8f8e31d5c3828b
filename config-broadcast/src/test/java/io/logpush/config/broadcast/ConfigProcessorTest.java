package io.logpush.config.broadcast;

import io.logpush.config.JobConfigParser;
import io.logpush.config.guard.GuardSettings;
import io.logpush.config.ownership.OwnershipSigner;
import io.logpush.config.testutils.Jobs;
import io.logpush.config.topic.ChangeId;
import io.logpush.config.topic.ConfigRecord;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatus.JobStatus;
import io.logpush.config.topic.ConfigStatus.State;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The config stage: validation, versions, the guard and what it reports. */
class ConfigProcessorTest {

    private static final Instant T0 = Instant.parse("2024-11-14T10:00:00Z");

    private final ConfigProcessor processor = new ConfigProcessor(new JobConfigParser(Jobs.TEST_POLICY), GuardSettings.DEFAULT);
    private long offset;

    private ConfigProcessor.Output upsert(long job, String json) {
        return processor.process(new ConfigRecord.Upsert(job, offset++, T0, json));
    }

    private static JobStatus onlyJobStatus(ConfigProcessor.Output output) {
        assertThat(output.statuses()).hasSize(1);
        return (JobStatus) output.statuses().get(0);
    }

    @Test
    void aValidConfigIsBroadcastWithItsVersion() {
        ConfigProcessor.Output out = upsert(1, Jobs.httpJobJson(1, "z1", true));
        assertThat(out.updates()).containsExactly(new ConfigUpdate(1, 0, Optional.of(Jobs.httpJob(1, "z1", true).json())));
        assertThat(onlyJobStatus(out).state()).isEqualTo(State.APPLIED);
    }

    @Test
    void anInvalidConfigIsRejectedWithReasonsAndTheOldVersionStays() {
        upsert(1, Jobs.httpJobJson(1, "z1", true));
        ConfigProcessor.Output out = upsert(1, "{\"id\":1,\"zone_id\":\"z1\",\"dataset\":\"http_requests\",\"destination_conf\":\"file:///a/../b\"}");
        assertThat(out.updates()).isEmpty();
        JobStatus status = onlyJobStatus(out);
        assertThat(status.state()).isEqualTo(State.REJECTED);
        assertThat(status.inForceVersion()).contains(0L);
        assertThat(status.errors()).extracting(Object::toString)
                .containsExactly("$.destination_conf: must not contain '..' path segments");
    }

    @Test
    void theJobIdMustMatchTheRecordKey() {
        JobStatus status = onlyJobStatus(upsert(2, Jobs.httpJobJson(3, "z", true)));
        assertThat(status.state()).isEqualTo(State.REJECTED);
        assertThat(status.errors()).extracting(Object::toString).containsExactly("$.id: must equal the record key 2, was 3");
    }

    @Test
    void aDeploymentThatAsksForOwnershipChallengesAppliesOnlyJobsWithAValidOne() {
        OwnershipSigner signer = OwnershipSigner.withKey("the deployment's key, 32 bytes or more".getBytes(StandardCharsets.UTF_8));
        ConfigProcessor strict = new ConfigProcessor(new JobConfigParser(Jobs.TEST_POLICY.withOwnershipChallenges(signer)),
                GuardSettings.DEFAULT);
        String destination = "file:///tmp/logpush/1/{DATE}";
        String valid = signer.issue("zone:z1", destination, T0.plusSeconds(3600));
        String withToken = withChallenge(Jobs.httpJobJson(1, "z1", true), valid);

        JobStatus missing = onlyJobStatus(strict.process(new ConfigRecord.Upsert(1, 0, T0, Jobs.httpJobJson(1, "z1", true))));
        assertThat(missing.state()).isEqualTo(State.REJECTED);
        assertThat(missing.errors()).extracting(Object::toString).singleElement().asString()
                .startsWith("$.ownership_challenge: is required by this deployment: run logpush config challenge "
                        + "--destination '" + destination + "' --owner zone:z1");

        assertThat(onlyJobStatus(strict.process(new ConfigRecord.Upsert(1, 1, T0, withToken))).state()).isEqualTo(State.APPLIED);

        // Another zone presenting zone z1's token for the same destination.
        String stolen = withChallenge(Jobs.httpJobJson(2, "z2", true).replace("/2/", "/1/"), valid);
        JobStatus refused = onlyJobStatus(strict.process(new ConfigRecord.Upsert(2, 2, T0, stolen)));
        assertThat(refused.errors()).extracting(Object::toString)
                .containsExactly("$.ownership_challenge: was issued for owner zone:z1, not zone:z2");

        // Submitted after the token expired.
        JobStatus late = onlyJobStatus(strict.process(new ConfigRecord.Upsert(1, 3, T0.plusSeconds(7200), withToken)));
        assertThat(late.state()).isEqualTo(State.REJECTED);
        assertThat(late.inForceVersion()).as("the accepted version stays").contains(1L);

        // A replay of the topic long after expiry judges each record at its own time: the same outcome.
        ConfigProcessor replay = new ConfigProcessor(new JobConfigParser(Jobs.TEST_POLICY.withOwnershipChallenges(signer)),
                GuardSettings.DEFAULT);
        assertThat(onlyJobStatus(replay.process(new ConfigRecord.Upsert(1, 1, T0, withToken))).state()).isEqualTo(State.APPLIED);
    }

    private static String withChallenge(String json, String token) {
        return json.substring(0, json.length() - 1) + ",\"ownership_challenge\":\"" + token + "\"}";
    }

    @Test
    void garbageNeverThrows() {
        assertThat(onlyJobStatus(upsert(4, "\u0000\u00ff not json")).state()).isEqualTo(State.REJECTED);
        ConfigProcessor.Output out = processor.process(new ConfigRecord.Malformed("x", 99, T0, "bad key"));
        assertThat(out.statuses()).singleElement().isInstanceOf(ConfigStatus.RecordRejected.class);
    }

    @Test
    void staleRecordsAreIgnored() {
        processor.process(new ConfigRecord.Upsert(1, 10, T0, Jobs.httpJobJson(1, "z1", true)));
        ConfigProcessor.Output stale = processor.process(new ConfigRecord.Upsert(1, 7, T0, Jobs.httpJobJson(1, "z1", false)));
        assertThat(stale.updates()).isEmpty();
        assertThat(stale.statuses()).isEmpty();
    }

    @Test
    void heldRemovalsAreReportedAndReleasedByAConfirmRecord() {
        for (long job = 1; job <= 10; job++) {
            upsert(job, Jobs.httpJobJson(job, "z" + job, true));
        }
        for (long job = 1; job <= 10; job++) {
            assertThat(processor.process(new ConfigRecord.Delete(job, offset++, T0)).updates()).isEmpty();
        }
        ConfigProcessor.Output decided = processor.tick(T0.plus(GuardSettings.DEFAULT.decisionDelay()));
        assertThat(decided.updates()).isEmpty();
        ConfigStatus.GuardStatus guard = (ConfigStatus.GuardStatus) decided.statuses().get(decided.statuses().size() - 1);
        assertThat(guard.held()).hasSize(10);
        assertThat(guard.activeJobs()).isEqualTo(10);

        List<ChangeId> ids = guard.held().stream().map(ConfigStatus.HeldChange::id).toList();
        ConfigProcessor.Output confirmed = processor.process(new ConfigRecord.Confirm(ids, offset++, T0.plusSeconds(30)));
        assertThat(confirmed.updates()).hasSize(10).allMatch(ConfigUpdate::isDelete);
        assertThat(confirmed.statuses()).last().isEqualTo(new ConfigStatus.GuardStatus(List.of(), 0, T0.plusSeconds(30)));
    }

    @Test
    void aRestoredProcessorContinuesWhereTheOriginalStopped() {
        upsert(1, Jobs.httpJobJson(1, "z1", true));
        ConfigProcessor restored = ConfigProcessor.restore(new JobConfigParser(Jobs.TEST_POLICY), GuardSettings.DEFAULT,
                processor.snapshot());
        assertThat(restored.process(new ConfigRecord.Upsert(1, 0, T0, Jobs.httpJobJson(1, "z1", false))).updates())
                .as("version 0 was already seen").isEmpty();
        assertThat(restored.snapshot()).isEqualTo(processor.snapshot());
    }

    @Test
    void enablingAJobBeyondTheDeploymentsCapacityIsRefusedLoudly() {
        ConfigProcessor small = new ConfigProcessor(new JobConfigParser(Jobs.TEST_POLICY.withMaxEnabledJobs(2)), GuardSettings.DEFAULT);
        small.process(new ConfigRecord.Upsert(1, 0, T0, Jobs.httpJobJson(1, "z1", true)));
        small.process(new ConfigRecord.Upsert(2, 1, T0, Jobs.httpJobJson(2, "z2", true)));
        ConfigProcessor.Output third = small.process(new ConfigRecord.Upsert(3, 2, T0, Jobs.httpJobJson(3, "z3", true)));
        assertThat(third.updates()).isEmpty();
        JobStatus refused = (JobStatus) third.statuses().get(0);
        assertThat(refused.state()).isEqualTo(State.REJECTED);
        assertThat(refused.errors()).extracting(Object::toString).singleElement().asString()
                .startsWith("$.enabled: this deployment runs at most 2 enabled jobs and is full");
        assertThat(small.process(new ConfigRecord.Upsert(1, 3, T0, Jobs.httpJobJson(1, "z1-moved", true))).updates())
                .as("a running job can still be updated").hasSize(1);
        assertThat(small.process(new ConfigRecord.Upsert(4, 4, T0, Jobs.httpJobJson(4, "z4", false))).updates())
                .as("a disabled job takes no capacity").hasSize(1);
        small.process(new ConfigRecord.Upsert(2, 5, T0, Jobs.httpJobJson(2, "z2", false)));
        small.tick(T0.plusSeconds(10));
        assertThat(small.held()).as("disabling half of the jobs is a mass removal").hasSize(1);
        small.process(new ConfigRecord.Confirm(List.of(new ChangeId(2, 5)), 6, T0.plusSeconds(10)));
        assertThat(small.process(new ConfigRecord.Upsert(3, 7, T0.plusSeconds(10), Jobs.httpJobJson(3, "z3", true))).updates())
                .as("a freed slot can be used").hasSize(1);
    }

    /** Broadcast instances may see updates in any order; keeping the highest version converges. */
    @Test
    void applyingVersionedUpdatesIsOrderIndependent() {
        List<ConfigUpdate> updates = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            long job = 1 + random.nextInt(20);
            updates.add(new ConfigUpdate(job, i, random.nextInt(4) == 0 ? Optional.empty() : Optional.of("v" + i)));
        }
        Map<Long, ConfigUpdate> reference = applyAll(updates);
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(updates, random);
            assertThat(applyAll(updates)).isEqualTo(reference);
        }
    }

    private static Map<Long, ConfigUpdate> applyAll(List<ConfigUpdate> updates) {
        Map<Long, ConfigUpdate> state = new HashMap<>();
        for (ConfigUpdate update : updates) {
            ConfigUpdate current = state.get(update.jobId());
            if (current == null || update.supersedes(current.version())) {
                state.put(update.jobId(), update);
            }
        }
        return state;
    }
}
