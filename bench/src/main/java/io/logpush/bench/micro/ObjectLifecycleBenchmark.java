package io.logpush.bench.micro;

import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.StagingArea;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The file-system work one batch object needs on a local disk, with nothing of the pipeline around
 * it: staged through Flink's {@code LocalRecoverableWriter} as the sink does (a hidden in-progress
 * file, a 2 KiB write, the {@code fsync} of {@code closeForCommit}, the commit's rename), then
 * moved to its destination folder as the delivery step does. This is the floor under the cost of
 * an object, whatever the pipeline does; with many jobs every job gets at least one object per
 * interval, so it bounds how fast a run with many jobs can go (steps.md §34).
 *
 * <p>{@code jobFolders=new}: every object is its job's first (the staging and destination folders
 * are created, as for a job's first object, or its first of a day); {@code existing}: the folders
 * of 1,000 jobs exist. Besides the wall time, the {@link Cpu} counters give the CPU time of the
 * benchmark thread: the kernel's work is most of it.
 */
@State(Scope.Thread)
public class ObjectLifecycleBenchmark {

    private static final int EXISTING_JOBS = 1_000;
    private static final Instant FIRST = Instant.parse("2024-11-14T10:00:00Z");
    /** Where every trial writes; {@link #deleteScratch} empties it after the last one. */
    private static final java.nio.file.Path SCRATCH = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "logpush-object-benchmark");

    @Param({"existing", "new"})
    public String jobFolders;

    private final byte[] content = new byte[2048];
    private final RecoverableWriters writers = new RecoverableWriters();
    private java.nio.file.Path root;
    private StagingArea staging;
    private long sequence;

    /** The benchmark thread's CPU time and the objects it made, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public long cpuNanos;
        public long objects;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            objects = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        new Random(42).nextBytes(content); // incompressible, like the gzip the sink writes
        root = Files.createTempDirectory(Files.createDirectories(SCRATCH), "trial");
        staging = StagingArea.at(root.resolve("system").toUri().toString());
        if (jobFolders.equals("existing")) {
            for (int job = 1; job <= EXISTING_JOBS; job++) {
                object(job, 0); // creates the job's folders
            }
        }
    }

    /**
     * Deletes what the trials wrote, once all have run: on this machine's ext4 (no journal), files
     * created soon after a mass deletion are slower to create (steps.md §30), so a trial must not
     * follow another one's deletion.
     */
    public static void deleteScratch() throws IOException {
        if (!Files.exists(SCRATCH)) {
            return;
        }
        try (Stream<java.nio.file.Path> files = Files.walk(SCRATCH)) {
            for (java.nio.file.Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    public void stageCommitAndDeliver(Cpu cpu) throws IOException {
        long job = jobFolders.equals("new") ? 1_000_000 + sequence : 1 + sequence % EXISTING_JOBS;
        long before = Cpu.THREADS.getCurrentThreadCpuTime();
        object(job, ++sequence);
        cpu.cpuNanos += Cpu.THREADS.getCurrentThreadCpuTime() - before;
        cpu.objects++;
    }

    private void object(long job, long sequence) throws IOException {
        String directory = root.resolve("destination").resolve("job-" + job).resolve("20241114").toUri().toString()
                .replaceAll("/+$", "");
        BatchDescriptor batch = new BatchDescriptor(job, 1, sequence, directory, FIRST, FIRST, 10, content.length);
        Path staged = staging.stagedPath(batch, Compression.GZIP);
        RecoverableWriter writer = writers.forPath(staged);
        RecoverableFsDataOutputStream out = writer.open(staged);
        out.write(content);
        out.closeForCommit().commit();
        java.nio.file.Path from = java.nio.file.Path.of(staged.toUri());
        java.nio.file.Path to = java.nio.file.Path.of(new Path(batch.objectPath(Compression.GZIP)).toUri());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
