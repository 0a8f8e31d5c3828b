package io.logpush.config;

import io.logpush.config.output.OutputType;
import io.logpush.config.output.TimestampFormat;
import io.logpush.config.testutils.Jobs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a valid config turns into: the values, defaults and translations the pipeline relies on. */
class JobConfigParserTest {

    private final JobConfigParser parser = new JobConfigParser(DeploymentPolicy.DEFAULT);

    private LogpushJob corpus(String name) throws Exception {
        Path file = Path.of(getClass().getResource("/configs/valid/" + name).toURI());
        return parser.parse(Files.readString(file)).orElseThrow();
    }

    @Test
    void readsAnS3JobWithExplicitLimits() throws Exception {
        LogpushJob job = corpus("http-requests-s3.json");
        assertThat(job.id()).isEqualTo(101);
        assertThat(job.owner()).isEqualTo(new Owner(OwnerKind.ZONE, "023e105f4ecef8ad9ca31a8372d0c353"));
        assertThat(job.dataset().name()).isEqualTo("http_requests");
        assertThat(job.enabled()).isTrue();
        assertThat(job.limits()).isEqualTo(new BatchLimits(5_000_000, 1_000, Duration.ofSeconds(30)));
        assertThat(job.destination().scheme()).isEqualTo(Destination.Scheme.S3);
        assertThat(job.destination().options()).containsEntry("region", "us-east-1").containsEntry("sse", "AES256");
        assertThat(job.destination().directoryFor(LocalDate.of(2024, 11, 14)))
                .isEqualTo("s3://customer-logs/http/20241114");
        assertThat(job.outputOptions().timestampFormat()).isEqualTo(TimestampFormat.RFC3339);
        assertThat(job.outputOptions().cve202144228()).isTrue();
    }

    @Test
    void defaultsAreCloudflares() throws Exception {
        LogpushJob job = corpus("minimal.json");
        assertThat(job.enabled()).as("jobs are created disabled").isFalse();
        assertThat(job.limits()).isEqualTo(new BatchLimits(0, 100_000, Duration.ofSeconds(30)));
        assertThat(job.outputOptions().outputType()).isEqualTo(OutputType.NDJSON);
        assertThat(job.outputOptions().timestampFormat()).isEqualTo(TimestampFormat.UNIXNANO);
        assertThat(job.outputOptions().sampleRate()).isEqualTo(1.0);
        assertThat(job.outputOptions().recordPrefix()).isEqualTo("{");
        assertThat(job.outputOptions().recordSuffix()).isEqualTo("}\n");
        assertThat(job.destination().directoryFor(LocalDate.of(2024, 1, 2))).isEqualTo("file:///tmp/logpush/nel");
    }

    @Test
    void translatesLogpullOptionsAndFrequency() throws Exception {
        LogpushJob job = corpus("logpull-options.json");
        assertThat(job.outputOptions().fieldNames()).containsExactly("RayID", "ClientIP", "EdgeStartTimestamp");
        assertThat(job.outputOptions().timestampFormat()).isEqualTo(TimestampFormat.RFC3339);
        assertThat(job.outputOptions().sampleRate()).isEqualTo(0.1);
        assertThat(job.outputOptions().cve202144228()).isTrue();
        assertThat(job.limits()).isEqualTo(new BatchLimits(0, 1_000_000, Duration.ofMinutes(5)));
    }

    @Test
    void outputOptionsWinOverLogpullOptions() {
        LogpushJob job = parser.parse("{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"http_requests\","
                + "\"destination_conf\":\"file:///l\",\"logpull_options\":\"fields=RayID\","
                + "\"output_options\":{\"field_names\":[\"ClientIP\"]}}").orElseThrow();
        assertThat(job.outputOptions().fieldNames()).containsExactly("ClientIP");
    }

    @Test
    void zeroSwitchesALimitOff() throws Exception {
        LogpushJob job = corpus("csv-with-header.json");
        assertThat(job.limits().limitsRecords()).isFalse();
        assertThat(job.limits().limitsBytes()).isFalse();
        assertThat(job.limits().maxInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void deploymentMayLowerMinimumsButTheCustomerMayNot() {
        String json = Jobs.httpJobJson(9, "z", true).replace("\"max_upload_records\":1000", "\"max_upload_records\":10");
        assertThat(parser.parse(json).errors()).extracting(ConfigError::toString)
                .containsExactly("$.max_upload_records: must be 0 (off) or between 1000 and 1000000, was 10");
        assertThat(new JobConfigParser(Jobs.TEST_POLICY).parse(json).orElseThrow().limits().maxRecords()).isEqualTo(10);
    }

    @Test
    void fileRootsConfineFileDestinations() {
        JobConfigParser confined = new JobConfigParser(DeploymentPolicy.DEFAULT.withFileRoots(List.of("/data/logpush/")));
        String inside = "{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"dns_logs\",\"destination_conf\":\"file:///data/logpush/z/{DATE}\"}";
        String outside = inside.replace("/data/logpush/z", "/data/logpushx");
        assertThat(confined.parse(inside).isValid()).isTrue();
        assertThat(confined.parse(outside).errors()).extracting(ConfigError::toString)
                .containsExactly("$.destination_conf: must lie under one of this deployment's file roots: /data/logpush/");
    }

    @Test
    void keepsTheCustomersJsonForBroadcastState() {
        LogpushJob job = Jobs.httpJob(5, "zone-5", true);
        LogpushJob reparsed = Jobs.parse(job.json());
        assertThat(reparsed.json()).isEqualTo(job.json());
        assertThat(reparsed.destination()).isEqualTo(job.destination());
        assertThat(reparsed.outputOptions()).isEqualTo(job.outputOptions());
        assertThat(reparsed.limits()).isEqualTo(job.limits());
    }

    @Test
    void orElseThrowCarriesEveryError() {
        assertThatThrownBy(() -> parser.parse("{}").orElseThrow())
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors()).hasSize(4));
    }
}
