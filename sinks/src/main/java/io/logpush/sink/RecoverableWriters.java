package io.logpush.sink;

import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link RecoverableWriter} of each file system a sink writes to, created once per scheme and
 * authority (e.g. once per S3 bucket). Thread-safe: the delivery threads share one.
 */
public final class RecoverableWriters {

    private final Map<String, RecoverableWriter> writers = new HashMap<>();

    public synchronized RecoverableWriter forPath(Path path) throws IOException {
        URI uri = path.toUri();
        String key = uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority());
        RecoverableWriter writer = writers.get(key);
        if (writer == null) {
            writer = FileSystem.get(uri).createRecoverableWriter();
            writers.put(key, writer);
        }
        return writer;
    }
}
