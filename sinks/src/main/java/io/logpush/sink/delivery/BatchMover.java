package io.logpush.sink.delivery;

import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.StagingArea;
import io.logpush.sink.committer.BatchCommittable;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Moves a committed batch object out of the staging area: to its destination, or to the
 * dead-letter location. Both moves are atomic (a reader never sees part of an object) and
 * idempotent (a move repeated after a failover finds its work done).
 *
 * <p>A local destination on the staging area's file system gets a rename; any other destination
 * gets a copy through its file system's recoverable writer (on S3 a multipart upload, visible only
 * once completed), then the staged object is deleted.
 */
public final class BatchMover {

    private static final Logger LOG = LoggerFactory.getLogger(BatchMover.class);

    /** Where a batch ended up. */
    public enum Outcome {
        DELIVERED,
        /** Found in the dead-letter location: moved there before a failover. */
        DEAD_LETTERED,
        /** No longer staged, so moved before a failover (and maybe since removed by the customer). */
        ALREADY_MOVED
    }

    private final StagingArea staging;
    private final Compression compression;
    private final RecoverableWriters writers = new RecoverableWriters();

    public BatchMover(StagingArea staging, Compression compression) {
        this.staging = staging;
        this.compression = compression;
    }

    /**
     * Delivers a staged batch to its destination.
     *
     * @throws DestinationException if the destination fails: the batch stays staged
     * @throws IOException if the staging area fails, which is the pipeline's problem
     */
    Outcome deliver(BatchCommittable batch) throws DestinationException, IOException {
        Path staged = new Path(batch.stagedPath());
        Path destination = new Path(batch.destinationPath());
        if (isLocal(staged) && isLocal(destination)) {
            Optional<Boolean> renamed = renameLocally(batch, staged, destination);
            if (renamed.isPresent()) {
                return renamed.get() ? Outcome.DELIVERED : movedBeforeFailover(batch);
            }
        }
        FileSystem stagingFs = staged.getFileSystem();
        if (!stagingFs.exists(staged)) {
            return movedBeforeFailover(batch);
        }
        try {
            copy(stagingFs, staged, destination);
            stagingFs.delete(staged, false);
        } catch (IOException | RuntimeException e) {
            throw new DestinationException(batch.destinationPath(), e);
        }
        return Outcome.DELIVERED;
    }

    /** Moves a staged batch to the dead-letter location, in the staging area's file system. */
    void deadLetter(BatchCommittable batch) throws IOException {
        Path staged = new Path(batch.stagedPath());
        Path deadLetter = staging.deadLetterPath(batch.batch(), compression);
        FileSystem fs = staged.getFileSystem();
        if (!fs.exists(staged)) {
            movedBeforeFailover(batch);
            return;
        }
        fs.mkdirs(deadLetter.getParent());
        if (!fs.rename(staged, deadLetter)) {
            throw new IOException("could not move " + staged + " to " + deadLetter);
        }
    }

    /**
     * A committed object leaves the staging area only by one of our moves, so one that is gone was
     * moved before a failover. Its destination may have removed it since (customers consume and
     * delete), which is why a miss there is only logged.
     */
    private Outcome movedBeforeFailover(BatchCommittable batch) throws IOException {
        Optional<Outcome> where = whereMoved(batch);
        if (where.isEmpty()) {
            LOG.warn("{} is no longer staged ({}) and not at its destination: delivered before a failover and removed since",
                    batch.batch(), batch.stagedPath());
        }
        return where.filter(o -> o == Outcome.DEAD_LETTERED).orElse(Outcome.ALREADY_MOVED);
    }

    /**
     * Where a batch that left the staging area is now: the dead-letter location, or its destination
     * (an unreachable destination counts as not found); empty if neither holds it.
     */
    public Optional<Outcome> whereMoved(BatchCommittable batch) throws IOException {
        Path deadLetter = staging.deadLetterPath(batch.batch(), compression);
        if (deadLetter.getFileSystem().exists(deadLetter)) {
            return Optional.of(Outcome.DEAD_LETTERED);
        }
        Path destination = new Path(batch.destinationPath());
        try {
            return destination.getFileSystem().exists(destination) ? Optional.of(Outcome.DELIVERED) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isLocal(Path path) {
        return "file".equals(path.toUri().getScheme());
    }

    /**
     * Renames a staged object into a local destination: a single rename when it is staged and its
     * directory exists, which is every object but a job's first of the day (each check first was
     * three more system calls per object). True if renamed, false if it is no longer staged, empty
     * if the two are on different disks.
     */
    private static Optional<Boolean> renameLocally(BatchCommittable batch, Path staged, Path destination)
            throws DestinationException {
        java.nio.file.Path from = java.nio.file.Path.of(staged.toUri());
        java.nio.file.Path to = java.nio.file.Path.of(destination.toUri());
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                if (!Files.exists(from)) {
                    return Optional.of(false);
                }
                Files.createDirectories(to.getParent());
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
            return Optional.of(true);
        } catch (AtomicMoveNotSupportedException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new DestinationException(batch.destinationPath(), e);
        }
    }

    private void copy(FileSystem stagingFs, Path staged, Path destination) throws IOException {
        RecoverableFsDataOutputStream out = writers.forPath(destination).open(destination);
        try (FSDataInputStream in = stagingFs.open(staged)) {
            in.transferTo(out);
            out.closeForCommit().commit();
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }
}
