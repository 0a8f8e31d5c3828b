package io.logpush.tools;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import picocli.CommandLine.Option;

/** The {@code --s3-endpoint} option of the commands that read or write destinations through Flink's file systems. */
public final class S3EndpointOption {

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).")
    String endpoint;

    /** Sets up Flink's file systems, with path-style access to the endpoint when one is given. */
    public void initializeFileSystems() {
        Configuration conf = new Configuration();
        if (endpoint != null) {
            conf.setString("s3.endpoint", endpoint);
            conf.setString("s3.path.style.access", "true");
        }
        FileSystem.initialize(conf, null);
    }
}
