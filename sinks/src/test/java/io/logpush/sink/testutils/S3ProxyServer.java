package io.logpush.sink.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.FileUtils;
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
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server (s3proxy, filesystem backend) on 127.0.0.1, run as its own JVM: in
 * the test JVM its Jackson would clash with Flink's. Buckets are directories under
 * {@link #dataDir()}, so tests create them without an S3 client. Use as a static
 * {@code @RegisterExtension} field, declared before the MiniCluster that reads its configuration.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback {

    public static final String ACCESS_KEY = "logpush-test-access";
    public static final String SECRET_KEY = "logpush-test-secret";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final int port = freePort();
    private Path home;
    private Path dataDir;
    private Process process;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        if (home != null) {
            FileUtils.deleteDirectoryQuietly(home.toFile()); // the objects tests wrote, and the server log
            home = null;
        }
    }

    public void start() throws IOException, InterruptedException {
        String jar = System.getProperty("s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("s3proxy.jar system property must name s3proxy's jar-with-dependencies (set by the build)");
        }
        if (home == null) {
            home = Files.createTempDirectory("s3proxy");
        }
        dataDir = Files.createDirectories(home.resolve("data"));
        Path properties = home.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dataDir,
                "jclouds.identity=unused",
                "jclouds.credential=unused", ""));
        process = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", jar, "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("s3proxy.log").toFile()))
                .start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start; see " + home.resolve("s3proxy.log"));
            }
            Thread.sleep(50);
        }
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Stops the server; {@link #start()} brings it back on the same port with the same data (an outage). */
    public void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Where the filesystem backend keeps buckets (directories) and objects (files). */
    public Path dataDir() {
        return dataDir;
    }

    public void createBucket(String bucket) {
        try {
            Files.createDirectories(dataDir.resolve(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flink's settings for {@code flink-s3-fs-hadoop} to reach this server. */
    public Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", endpoint());
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", ACCESS_KEY);
        conf.setString("s3.secret-key", SECRET_KEY);
        // Fail fast instead of retrying for minutes when something is wrong.
        conf.setString("s3.attempts.maximum", "3");
        conf.setString("s3.retry.limit", "3");
        return conf;
    }

    private static boolean accepts(int port) {
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

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
