package io.logpush.sink;

import io.logpush.sink.testutils.Batches;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch file sink's exactly-once promise on the local file system, with the staging area on
 * the same file system (delivery by rename).
 */
class LocalBatchFileSinkITCase extends BatchFileSinkITCaseBase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = miniCluster();

    @TempDir
    Path output;

    @TempDir
    Path system;

    @TempDir
    Path checkpoints;

    @Override
    String outputRoot() {
        return output.toUri().toString().replaceAll("/$", "");
    }

    @Override
    String stagingRoot() {
        return system.toUri().toString().replaceAll("/$", "");
    }

    @Override
    List<String> stagedObjects() {
        return Batches.visibleObjects(system).stream().map(Path::toString).toList();
    }

    @Override
    Path checkpointDir() {
        return checkpoints;
    }

    @Override
    Map<String, String> readVisibleObjects() throws Exception {
        Map<String, String> objects = new LinkedHashMap<>();
        for (Path file : Batches.visibleObjects(output)) {
            objects.put(file.toString(), Batches.gunzip(file));
        }
        return objects;
    }
}
