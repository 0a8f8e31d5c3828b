package io.logpush.sink;

import org.apache.flink.core.fs.Path;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * The sink's own storage, which no customer can break: every batch is first written and committed
 * here ({@code <root>/staging/<job>-<sequence>-<name>}), then moved to its destination; a batch
 * that could not be delivered within the retention ends in {@code <root>/dead-letter/<job>/…}.
 * It should be as durable as the checkpoints (the same file system is a good choice).
 *
 * <p>Staged objects share one folder: it holds only the objects between their write and their
 * delivery, and a folder per job would cost every job's first object a {@code mkdir} and leave a
 * folder behind for every job ever run (steps.md §34). Names cannot collide: the job id and the
 * sequence number lead each one.
 */
public final class StagingArea implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String root;

    private StagingArea(String root) {
        this.root = root;
    }

    /** A staging area under {@code root}, an absolute URI such as {@code s3://logpush-system/parking}. */
    public static StagingArea at(String root) {
        Objects.requireNonNull(root, "root");
        URI uri = URI.create(root);
        if (uri.getScheme() == null || !uri.isAbsolute()) {
            throw new IllegalArgumentException("the staging area needs an absolute URI with a scheme: " + root);
        }
        return new StagingArea(root.replaceAll("/+$", ""));
    }

    public String root() {
        return root;
    }

    /** Where a batch is written before its delivery. */
    public Path stagedPath(BatchDescriptor batch, Compression compression) {
        return new Path(root + "/staging/" + batch.jobId() + "-" + batch.sequence() + "-" + batch.objectName(compression));
    }

    /** Where a batch goes that could not be delivered. */
    public Path deadLetterPath(BatchDescriptor batch, Compression compression) {
        return new Path(root + "/dead-letter/" + batch.jobId() + "/" + batch.sequence() + "-" + batch.objectName(compression));
    }

    @Override
    public String toString() {
        return root;
    }
}
