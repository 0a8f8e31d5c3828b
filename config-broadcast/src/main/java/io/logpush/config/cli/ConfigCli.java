package io.logpush.config.cli;

import io.logpush.config.ConfigError;
import io.logpush.config.JobConfigParser;
import io.logpush.config.LogpushJob;
import io.logpush.config.ParseResult;
import io.logpush.config.topic.ChangeId;
import io.logpush.config.topic.ConfigRecordCodec;
import io.logpush.config.topic.ConfigStatus;
import io.logpush.config.topic.ConfigStatusCodec;
import io.logpush.config.topic.ConfigTopics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code logpush config}: validate job configs offline, and put, delete, list, inspect held
 * changes and confirm them on the config topic. Exit codes: 0 success, 1 invalid configs or an
 * unreachable broker, 2 bad usage.
 */
@Command(name = "logpush config", mixinStandardHelpOptions = true, version = "logpush 0.1.0",
        description = "Validate Logpush job configs and manage them on the config topic.",
        subcommands = {ConfigCli.Validate.class, ConfigCli.Put.class, ConfigCli.Delete.class, ConfigCli.ListJobs.class,
                ConfigCli.Held.class, ConfigCli.Confirm.class})
public final class ConfigCli {

    public static void main(String[] args) {
        Cli.run(new ConfigCli(), args);
    }

    /** The command line, for tests and for the launcher that embeds it. */
    public static CommandLine commandLine() {
        return Cli.commandLine(new ConfigCli());
    }

    /** Where the config topics are. */
    static final class KafkaOptions {
        @Option(names = {"-b", "--bootstrap-servers"}, required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
        String bootstrapServers;

        @Option(names = "--config-topic", paramLabel = "TOPIC", description = "Config topic (default: ${DEFAULT-VALUE}).")
        String configTopic = ConfigTopics.CONFIG;

        @Option(names = "--status-topic", paramLabel = "TOPIC", description = "Config status topic (default: ${DEFAULT-VALUE}).")
        String statusTopic = ConfigTopics.STATUS;

        @Option(names = "--health-topic", paramLabel = "TOPIC", description = "Job health topic (default: ${DEFAULT-VALUE}).")
        String healthTopic = ConfigTopics.HEALTH;

        Properties clientProperties() {
            Properties props = new Properties();
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
            props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            return props;
        }

        KafkaProducer<byte[], byte[]> producer() {
            Properties props = clientProperties();
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            return new KafkaProducer<>(props);
        }

        Optional<ConfigStatus.GuardStatus> guardStatus() {
            ConsumerRecord<byte[], byte[]> record = TopicSnapshot.latestByKey(clientProperties(), statusTopic)
                    .get(ConfigStatus.GuardStatus.KEY);
            return record == null || record.value() == null ? Optional.empty()
                    : Optional.of((ConfigStatus.GuardStatus) ConfigStatusCodec.decode(record.key(), record.value()));
        }
    }

    private abstract static class Subcommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /** Parses every file; prints each one's errors; returns the jobs only if all are valid. */
        Optional<List<LogpushJob>> parseAll(JobConfigParser parser, List<Path> files) throws IOException {
            List<LogpushJob> jobs = new ArrayList<>();
            boolean valid = true;
            for (Path file : files) {
                ParseResult result = parser.parse(Files.readString(file, StandardCharsets.UTF_8));
                for (ConfigError error : result.errors()) {
                    err().println(file + ": " + error);
                }
                valid &= result.isValid();
                result.job().ifPresent(jobs::add);
            }
            return valid ? Optional.of(jobs) : Optional.empty();
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check job config files offline; print path-precise errors (exit 1 if any file is invalid).")
    static final class Validate extends Subcommand {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Job config JSON files.")
        List<Path> files;

        @Mixin
        PolicyOptions policy = new PolicyOptions();

        @Override
        public Integer call() throws IOException {
            Optional<List<LogpushJob>> jobs = parseAll(policy.parser(), files);
            if (jobs.isEmpty()) {
                return 1;
            }
            for (int i = 0; i < files.size(); i++) {
                out().println(files.get(i) + ": ok, " + jobs.get().get(i).describe());
            }
            return 0;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Validate job configs, then publish them to the config topic (created compacted if missing).")
    static final class Put extends Subcommand {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Job config JSON files.")
        List<Path> files;

        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Mixin
        PolicyOptions policy = new PolicyOptions();

        @Option(names = "--replication-factor", description = "For topics this command creates (default: ${DEFAULT-VALUE}).")
        short replicationFactor = 1;

        @Override
        public Integer call() throws Exception {
            Optional<List<LogpushJob>> jobs = parseAll(policy.parser(), files);
            if (jobs.isEmpty()) {
                err().println("nothing published: fix the errors above first");
                return 1;
            }
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                for (String topic : List.of(kafka.configTopic, kafka.statusTopic, kafka.healthTopic)) {
                    if (ConfigTopics.createCompactedIfMissing(admin, topic, replicationFactor)) {
                        out().println("created compacted topic " + topic);
                    }
                }
            }
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                for (LogpushJob job : jobs.get()) {
                    RecordMetadata sent = producer.send(ConfigRecordCodec.upsert(kafka.configTopic, job.id(), job.json())).get();
                    out().println("put " + job.describe() + " as version " + sent.offset());
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete jobs: publish a tombstone for each job id.")
    static final class Delete extends Subcommand {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "Job ids.")
        List<Long> ids;

        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Override
        public Integer call() throws Exception {
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                for (long id : ids) {
                    RecordMetadata sent = producer.send(ConfigRecordCodec.delete(kafka.configTopic, id)).get();
                    out().println("deleted job " + id + " as version " + sent.offset());
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the jobs on the config topic with the pipeline's status and each job's delivery health.")
    static final class ListJobs extends Subcommand {
        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Mixin
        PolicyOptions policy = new PolicyOptions();

        @Override
        public Integer call() {
            Properties props = kafka.clientProperties();
            Map<String, ConsumerRecord<byte[], byte[]>> configs = TopicSnapshot.latestByKey(props, kafka.configTopic);
            Map<String, ConfigStatus> statuses = new LinkedHashMap<>();
            TopicSnapshot.latestByKey(props, kafka.statusTopic).forEach((key, record) -> {
                if (record.value() != null) {
                    statuses.put(key, ConfigStatusCodec.decode(record.key(), record.value()));
                }
            });
            Map<String, JobHealthView> health = new LinkedHashMap<>();
            TopicSnapshot.latestByKey(props, kafka.healthTopic).forEach((key, record) -> {
                if (record.value() != null) {
                    // A hot job's further lanes report as "<job id>/<lane>": one line per job all the same.
                    String job = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
                    health.merge(job, JobHealthView.parse(record.value()), JobHealthView::with);
                }
            });
            JobConfigParser parser = policy.parser();
            String format = "%-8s %-8s %-40s %-22s %-7s %-10s %-9s %-20s %-6s %s%n";
            out().printf(format, "ID", "VERSION", "OWNER", "DATASET", "ENABLED", "STATUS", "HEALTH", "LAST_COMPLETE", "PARKED",
                    "DESTINATION");
            int jobs = 0;
            for (ConsumerRecord<byte[], byte[]> record : configs.values()) {
                String key = new String(record.key(), StandardCharsets.UTF_8);
                if (key.startsWith(ConfigRecordCodec.CONFIRM_KEY_PREFIX) || record.value() == null) {
                    continue;
                }
                jobs++;
                String status = statuses.get(key) instanceof ConfigStatus.JobStatus job && job.version() == record.offset()
                        ? job.state().name().toLowerCase(Locale.ROOT) : "-";
                ParseResult result = parser.parse(record.value());
                if (result.job().isEmpty()) {
                    out().printf(format, key, record.offset(), "-", "-", "-", "invalid", "-", "-", "-", result.errors().get(0));
                    continue;
                }
                LogpushJob job = result.job().get();
                JobHealthView h = health.getOrDefault(key, JobHealthView.NONE);
                out().printf(format, key, record.offset(), job.owner().qualifiedId(),
                        job.dataset().name(), job.enabled(), status, h.state(), h.lastComplete(), h.parked(),
                        job.destination().conf());
                if (h.errorMessage() != null) {
                    out().println("         last_error " + h.lastError() + ": " + h.errorMessage());
                }
            }
            out().println(jobs + " job(s) on " + kafka.configTopic);
            return 0;
        }
    }

    @Command(name = "held", mixinStandardHelpOptions = true,
            description = "Show the config changes the config guard holds, waiting for confirmation.")
    static final class Held extends Subcommand {
        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Override
        public Integer call() {
            Optional<ConfigStatus.GuardStatus> guard = kafka.guardStatus();
            if (guard.isEmpty() || guard.get().held().isEmpty()) {
                out().println("No config changes are held.");
                return 0;
            }
            out().println(guard.get().held().size() + " config change(s) held by the config guard ("
                    + guard.get().activeJobs() + " active jobs keep their previous config):");
            for (ConfigStatus.HeldChange held : guard.get().held()) {
                out().printf("  job %-8d %-8s version %-8d at %s%n", held.id().jobId(), held.kind(), held.id().version(), held.at());
            }
            out().println("Apply them with: logpush config confirm --bootstrap-servers " + kafka.bootstrapServers
                    + "; or re-put the jobs to cancel them.");
            return 0;
        }
    }

    @Command(name = "confirm", mixinStandardHelpOptions = true,
            description = "Confirm held config changes: all of those held now, or the ones named JOB@VERSION.")
    static final class Confirm extends Subcommand {
        @Parameters(arity = "0..*", paramLabel = "JOB@VERSION", description = "Changes to confirm (default: every held change).")
        List<String> changes = new ArrayList<>();

        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Override
        public Integer call() throws Exception {
            List<ChangeId> ids = new ArrayList<>();
            if (changes.isEmpty()) {
                kafka.guardStatus().ifPresent(g -> g.held().forEach(h -> ids.add(h.id())));
                if (ids.isEmpty()) {
                    out().println("No config changes are held; nothing to confirm.");
                    return 0;
                }
            } else {
                for (String change : changes) {
                    try {
                        ids.add(ChangeId.parse(change));
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "not a JOB@VERSION: " + change);
                    }
                }
            }
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                ProducerRecord<byte[], byte[]> record = ConfigRecordCodec.confirm(kafka.configTopic, ids);
                RecordMetadata sent = producer.send(record).get();
                out().println("confirmed " + ids.size() + " change(s) as version " + sent.offset() + ": "
                        + String.join(" ", ids.stream().map(ChangeId::toString).toList()));
            }
            return 0;
        }
    }
}
