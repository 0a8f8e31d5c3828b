package io.logpush.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpush.config.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code logpush submit}: uploads the shaded job jar to a Flink cluster through its REST API and
 * runs it, as {@code flink run} does; prints the job id and its web UI link.
 */
@Command(name = "logpush submit", mixinStandardHelpOptions = true, version = "logpush 0.1.0",
        description = "Upload the job jar to a Flink cluster's REST API and run it; job arguments follow (see logpush run --help).")
public final class SubmitCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--jobmanager", required = true, paramLabel = "URL", description = "The JobManager's REST address, e.g. http://localhost:8081.")
    URI jobManager;

    @Option(names = "--jar", paramLabel = "FILE", description = "The job jar (default: ${DEFAULT-VALUE}).")
    Path jar = Path.of("job", "target", "logpush-job-0.1.0-SNAPSHOT-shaded.jar");

    @Option(names = "--from-savepoint", paramLabel = "PATH", description = "Restore the job's state from this savepoint (an upgrade).")
    String savepoint;

    @Parameters(paramLabel = "JOB_ARGS", description = "Arguments for the job, e.g. --bootstrap-servers kafka:9092.")
    List<String> jobArgs = new ArrayList<>();

    public static void main(String[] args) {
        Cli.run(new SubmitCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        String jobId = submit(jobManager, jar, jobArgs, savepoint);
        System.out.println("submitted job " + jobId + ": " + jobManager.resolve("/#/job/running/" + jobId + "/overview"));
        return 0;
    }

    /**
     * Uploads {@code jar} and runs it with {@code args}, restoring from {@code savepoint} unless it
     * is null; returns the Flink job id.
     */
    public static String submit(URI jobManager, Path jar, List<String> args, String savepoint) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no job jar at " + jar + ": build it with 'mvn -DskipTests package'");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String boundary = "logpush-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode uploaded = send(http, HttpRequest.newBuilder(jobManager.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        String file = uploaded.path("filename").asText();
        String jarId = file.substring(file.lastIndexOf('/') + 1);
        ObjectNode run = JSON.createObjectNode();
        ArrayNode list = run.putArray("programArgsList");
        args.forEach(list::add);
        if (savepoint != null) {
            run.put("savepointPath", savepoint);
        }
        JsonNode started = send(http, HttpRequest.newBuilder(jobManager.resolve("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(run.toString())).build());
        return started.path("jobid").asText();
    }

    private static JsonNode send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the JobManager's REST API at " + request.uri().resolve("/"));
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }
}
