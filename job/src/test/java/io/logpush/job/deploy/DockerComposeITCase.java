package io.logpush.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.logpush.config.DeploymentPolicy;
import io.logpush.config.JobConfigParser;
import io.logpush.config.topic.ConfigTopics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked offline: Debian's
 * docker-compose validates it, and every file it mounts or runs exists (after {@code package}),
 * its sample jobs are valid, and its ports and topic names are the job's defaults.
 */
class DockerComposeITCase {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern REPO_PATH = Pattern.compile("/opt/logpush/(job|jobs|flink-conf)/([\\w.-]+)");

    private static JsonNode compose() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    @Test
    void dockerComposeValidatesTheFile() throws Exception {
        boolean installed = new ProcessBuilder("sh", "-c", "command -v docker-compose").start().waitFor() == 0;
        assumeTrue(installed || System.getenv("CI") != null,
                "docker-compose is not installed (apt-get install -y docker-compose); CI installs it and never skips this");
        Process process = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q")
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void everyMountedFolderAndReferencedFileExists() throws Exception {
        JsonNode compose = compose();
        List<String> checked = new ArrayList<>();
        for (JsonNode service : iterable(compose.get("services"))) {
            for (JsonNode volume : iterable(service.path("volumes"))) {
                String host = volume.asText().split(":")[0];
                assertThat(ROOT.resolve(host)).as("mounted %s", host).exists();
                checked.add(host);
            }
        }
        Matcher files = REPO_PATH.matcher(Files.readString(ROOT.resolve("docker-compose.yml")));
        while (files.find()) {
            Path local = switch (files.group(1)) {
                case "job" -> ROOT.resolve("job/target").resolve(files.group(2));
                case "jobs" -> ROOT.resolve("deploy/jobs").resolve(files.group(2));
                default -> ROOT.resolve("flink-conf").resolve(files.group(2));
            };
            assertThat(local).as("referenced as %s", files.group()).exists();
            checked.add(local.toString());
        }
        assertThat(checked).anyMatch(p -> p.endsWith("logpush-job-0.1.0-SNAPSHOT-shaded.jar"))
                .anyMatch(p -> p.endsWith("config.yaml")).anyMatch(p -> p.endsWith("job-1.json"));
    }

    @Test
    void itsSampleJobsAreValidUnderTheDefaultPolicy() throws Exception {
        JobConfigParser parser = new JobConfigParser(DeploymentPolicy.DEFAULT);
        try (var jobs = Files.list(ROOT.resolve("deploy/jobs"))) {
            for (Path job : jobs.toList()) {
                assertThat(parser.parse(Files.readString(job)).errors()).as(job.toString()).isEmpty();
            }
        }
    }

    @Test
    void portsAndTopicsAreTheJobsDefaults() throws Exception {
        JsonNode services = compose().get("services");
        assertThat(services.at("/kafka/ports/0").asText()).isEqualTo("9092:9092");
        assertThat(services.at("/jobmanager/ports/0").asText()).isEqualTo("8081:8081");
        String setup = services.at("/setup/command/0").asText();
        assertThat(setup).contains("--config-topic " + ConfigTopics.CONFIG, "--status-topic " + ConfigTopics.STATUS,
                "--events-topic " + ConfigTopics.EVENTS, "--dlq-topic " + ConfigTopics.DLQ, "--bootstrap-servers kafka:19092",
                "--health-topic " + ConfigTopics.HEALTH, "--staging-dir s3://logpush-system/staging");
        assertThat(services.at("/buckets/command/0").asText()).contains("local/logpush-system");
        assertThat(services.at("/generator/command").asText()).contains("--topic " + ConfigTopics.EVENTS, "kafka:19092");
        assertThat(services.at("/topics/command/0").asText()).contains("--topic " + ConfigTopics.EVENTS, "--topic " + ConfigTopics.DLQ);
        assertThat(services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText()).contains("INTERNAL://kafka:19092");
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        node.forEach(list::add);
        return list;
    }
}
