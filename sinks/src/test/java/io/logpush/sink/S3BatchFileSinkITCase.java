package io.logpush.sink;

import io.logpush.sink.testutils.Batches;
import io.logpush.sink.testutils.S3ProxyServer;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch file sink's exactly-once promise on S3: {@code flink-s3-fs-hadoop}'s recoverable
 * writer (multipart uploads completed at commit) against a real S3-compatible server. Objects are
 * listed and read back through the S3 API, so only what S3 shows as data counts.
 */
class S3BatchFileSinkITCase extends BatchFileSinkITCaseBase {

    private static final String BUCKET = "customer-logs";
    private static final String SYSTEM_BUCKET = "logpush-system";

    @RegisterExtension
    @Order(1)
    static final S3ProxyServer S3 = new S3ProxyServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = BatchFileSinkITCaseBase.miniCluster(S3::flinkConfiguration);

    @TempDir
    static java.nio.file.Path checkpoints;

    @BeforeAll
    static void configureS3() {
        S3.createBucket(BUCKET);
        S3.createBucket(SYSTEM_BUCKET);
        // As a job's main() must: the s3 file system reads its endpoint and credentials from here.
        FileSystem.initialize(S3.flinkConfiguration(), null);
    }

    @Override
    String outputRoot() {
        return "s3://" + BUCKET + "/logs";
    }

    /** Every batch makes four round trips to the S3 server here (stage, commit, copy, delete). */
    @Override
    int batchesPerSecond() {
        return 60;
    }

    /** Another bucket: delivery copies through S3's recoverable writer (a multipart upload). */
    @Override
    String stagingRoot() {
        return "s3://" + SYSTEM_BUCKET + "/parking";
    }

    @Override
    List<String> stagedObjects() throws IOException {
        return List.copyOf(listObjects(stagingRoot() + "/staging").keySet());
    }

    @Override
    java.nio.file.Path checkpointDir() {
        return checkpoints;
    }

    @Override
    Map<String, String> readVisibleObjects() throws Exception {
        Map<String, String> objects = listObjects(outputRoot());
        // The filesystem backend keeps uploads that never completed as hidden files; S3 does not list them.
        try (Stream<java.nio.file.Path> files = Files.walk(S3.dataDir().resolve(BUCKET))) {
            List<java.nio.file.Path> hidden = files.filter(f -> f.getFileName().toString().startsWith(".")).toList();
            System.out.println("S3 ITCase: " + objects.size() + " objects listed, " + hidden.size()
                    + " hidden leftovers of abandoned uploads on the server's disk");
        }
        return objects;
    }

    /** Every object under {@code root} as S3 lists it, with its gunzipped content. */
    /**
     * s3proxy's file-system backend writes a blob to {@code <name>-<uuid>} and then renames it; a
     * write cut short by a test that moves the bucket's directory away leaves that file behind. It
     * is the server's own temporary file, which a real S3 never lists.
     */
    private static final Pattern S3PROXY_TEMP_FILE =
            Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static Map<String, String> listObjects(String root) throws IOException {
        Map<String, String> objects = new LinkedHashMap<>();
        FileSystem fs = FileSystem.get(URI.create(root));
        if (fs.exists(new Path(root))) {
            collect(fs, new Path(root), objects);
        }
        return objects;
    }

    private static void collect(FileSystem fs, Path dir, Map<String, String> objects) throws IOException {
        for (FileStatus status : fs.listStatus(dir)) {
            if (status.isDir()) {
                collect(fs, status.getPath(), objects);
            } else if (!S3PROXY_TEMP_FILE.matcher(status.getPath().getName()).matches()) {
                try (InputStream in = fs.open(status.getPath())) {
                    objects.put(status.getPath().toString(), Batches.gunzip(in));
                }
            }
        }
    }
}
