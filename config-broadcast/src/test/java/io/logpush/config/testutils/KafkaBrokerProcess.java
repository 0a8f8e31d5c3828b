package io.logpush.config.testutils;

import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka broker (KRaft) run as its own JVM from the jars on the test classpath,
 * so that a test can stop it and start it again on the same port with the same data: a broker
 * restart, which the in-process test kit cannot do.
 */
public final class KafkaBrokerProcess implements TestKafka, BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private final int port = freePort();
    private final int controllerPort = freePort();
    private Path home;
    private Process process;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        startFresh();
    }

    /** Formats a new data directory and starts the broker on it (what the extension does before all tests). */
    public void startFresh() throws IOException, InterruptedException {
        home = Files.createTempDirectory("kafka-broker");
        Files.writeString(home.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT", "log.dirs=" + home.resolve("data"),
                "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false", ""));
        Process format = java("kafka.tools.StorageTool", "format", "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                "-c", home.resolve("server.properties").toString()).redirectOutput(home.resolve("format.log").toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("kafka storage format failed; see " + home.resolve("format.log"));
        }
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Stops the broker for good and deletes its data (benchmarks leave gigabytes). */
    @Override
    public void close() throws InterruptedException {
        stop();
        if (home != null) {
            FileUtils.deleteDirectoryQuietly(home.toFile());
        }
    }

    /**
     * Starts the broker (again) on its port with its data, and waits until it serves: it accepts
     * connections and every partition of every topic has a leader again (producing earlier, right
     * after a restart, can leave an idempotent producer stuck on sequence errors).
     */
    public void start() throws IOException, InterruptedException {
        process = java("kafka.Kafka", home.resolve("server.properties").toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("broker.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!accepts() || !allPartitionsLed()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("kafka did not start; see " + home.resolve("broker.log"));
            }
            Thread.sleep(100);
        }
    }

    private boolean allPartitionsLed() {
        try (Admin admin = admin()) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(5, TimeUnit.SECONDS);
            if (topics.isEmpty()) {
                return true;
            }
            return admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                    .flatMap(t -> t.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A controlled shutdown (SIGTERM), as an operator's restart would do. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
