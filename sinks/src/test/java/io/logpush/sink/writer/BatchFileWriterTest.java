package io.logpush.sink.writer;

import io.logpush.sink.BatchChunk;
import io.logpush.sink.BatchDescriptor;
import io.logpush.sink.BatchFileSink;
import io.logpush.sink.BlockDeflater;
import io.logpush.sink.Compression;
import io.logpush.sink.RecoverableWriters;
import io.logpush.sink.StagingArea;
import io.logpush.sink.committer.BatchCommittable;
import io.logpush.sink.committer.BatchCommittableSerializer;
import io.logpush.sink.committer.BatchFileCommitter;
import io.logpush.sink.testutils.Batches;
import io.logpush.sink.testutils.FakeCommitRequest;
import io.logpush.sink.testutils.SinkMetrics;
import org.apache.flink.api.connector.sink2.Committer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writer and committer together on the real local file system: write to the staging area, prepare, restore, commit. */
class BatchFileWriterTest {

    @TempDir
    Path root;

    private WriterMetrics metrics;

    private BatchFileWriter writer(Compression compression) {
        return new BatchFileWriter(compression, BatchFileSink.DEFAULT_GZIP_LEVEL, staging(), new RecoverableWriters(), () -> 1_000L, 2,
                open -> metrics = SinkMetrics.writer(open));
    }

    private StagingArea staging() {
        return Batches.staging(root);
    }

    private BatchFileCommitter committer() {
        return new BatchFileCommitter(staging(), Compression.GZIP, new RecoverableWriters(), SinkMetrics.committer(), () -> 2_000L);
    }

    private static void write(BatchFileWriter writer, List<BatchChunk> chunks) throws Exception {
        for (BatchChunk chunk : chunks) {
            writer.write(chunk, null);
        }
    }

    private List<FakeCommitRequest<BatchCommittable>> commit(Collection<BatchCommittable> committables) throws Exception {
        List<FakeCommitRequest<BatchCommittable>> requests = committables.stream().map(FakeCommitRequest::new).toList();
        try (BatchFileCommitter committer = committer()) {
            committer.commit(new ArrayList<Committer.CommitRequest<BatchCommittable>>(requests));
        }
        return requests;
    }

    private static String expectedContent(BatchDescriptor batch) {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < batch.records(); r++) {
            s.append(Batches.record(batch.jobId(), batch.sequence(), r));
        }
        return s.toString();
    }

    @Test
    void objectsAppearOnlyWhenCommittedWithTheirNamesAndContent() throws Exception {
        BatchDescriptor first = Batches.descriptor(root, 7, 0, 1_000);
        BatchDescriptor second = Batches.descriptor(root, 8, 3, 10);
        BatchFileWriter writer = writer(Compression.GZIP);
        write(writer, Batches.chunks(first, 4_096));
        write(writer, Batches.chunks(second, 4_096));

        Collection<BatchCommittable> committables = writer.prepareCommit();
        assertThat(committables).hasSize(2);
        assertThat(Batches.visibleObjects(root)).as("nothing visible before the commit").isEmpty();
        assertThat(writer.prepareCommit()).as("handed out once").isEmpty();

        assertThat(commit(committables)).extracting(FakeCommitRequest::outcome).containsOnly(FakeCommitRequest.Outcome.COMMITTED);
        List<Path> visible = Batches.visibleObjects(root);
        assertThat(visible).hasSize(2);
        Path firstObject = root.resolve("system/staging/7-0-20241114T100000Z_20241114T100001Z_" + first.hash() + ".log.gz");
        assertThat(visible).contains(firstObject);
        assertThat(committables).first().extracting(BatchCommittable::destinationPath)
                .isEqualTo(root.toUri().toString().replaceAll("/$", "") + "/job-7/20241114/20241114T100000Z_20241114T100001Z_"
                        + first.hash() + ".log.gz");
        assertThat(Batches.gunzip(firstObject)).isEqualTo(expectedContent(first));

        assertThat(metrics.batchesWritten.getCount()).isEqualTo(2);
        assertThat(metrics.recordsWritten.getCount()).isEqualTo(1_010);
        assertThat(metrics.bytesUncompressed.getCount()).isEqualTo(first.bytes() + second.bytes());
        assertThat(metrics.bytesWritten.getCount()).isEqualTo(Files.size(visible.get(0)) + Files.size(visible.get(1)));
    }

    /** Chunks deflated ahead (the buffer's pages) spliced between plain ones make one object that reads back whole. */
    @Test
    void chunksDeflatedAheadAreSplicedIntoTheObject() throws Exception {
        BatchDescriptor batch = Batches.descriptor(root, 7, 0, 300);
        List<BatchChunk> plain = Batches.chunks(batch, 2_048);
        List<BatchChunk> mixed = new ArrayList<>();
        try (BlockDeflater ahead = new BlockDeflater(BatchFileSink.DEFAULT_GZIP_LEVEL)) {
            for (BatchChunk chunk : plain) {
                if (chunk.index() % 2 == 1) { // every other chunk deflated ahead, the first after plain content
                    ahead.deflate(chunk.bytes(), 0, chunk.bytes().length, new byte[0], 0, 0);
                    chunk = new BatchChunk(batch, chunk.index(), chunk.last(), Arrays.copyOf(ahead.blocks(), ahead.blocksLength()),
                            new BatchChunk.Deflated(ahead.crc32(), chunk.bytes().length));
                }
                mixed.add(chunk);
            }
        }
        assertThat(mixed).filteredOn(chunk -> chunk.deflated() != null).hasSizeGreaterThan(1);
        BatchFileWriter writer = writer(Compression.GZIP);
        write(writer, mixed);
        commit(writer.prepareCommit());

        assertThat(Batches.gunzip(Batches.visibleObjects(root).get(0))).isEqualTo(expectedContent(batch));
        assertThat(metrics.bytesUncompressed.getCount()).isEqualTo(batch.bytes());
    }

    @Test
    void anUncompressedObjectRefusesAChunkDeflatedAhead() {
        BatchDescriptor batch = Batches.descriptor(root, 7, 0, 1);
        BatchFileWriter writer = writer(Compression.NONE);
        BatchChunk deflated = new BatchChunk(batch, 0, true, new byte[] {3, 0}, new BatchChunk.Deflated(0, 0));
        assertThatThrownBy(() -> writer.write(deflated, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("written uncompressed");
    }

    @Test
    void objectsMadeDurableInTheBackgroundAreAllInTheNextCheckpointInTheOrderTheyCompleted() throws Exception {
        BatchFileWriter writer = writer(Compression.GZIP);
        List<BatchDescriptor> batches = new ArrayList<>();
        for (long sequence = 0; sequence < 12; sequence++) {
            BatchDescriptor batch = Batches.descriptor(root, 9, sequence, 20);
            batches.add(batch);
            write(writer, Batches.chunks(batch, 256));
        }
        Collection<BatchCommittable> committables = writer.prepareCommit();
        assertThat(committables).extracting(BatchCommittable::batch).containsExactlyElementsOf(batches);
        commit(committables);
        assertThat(Batches.visibleObjects(root)).hasSize(12);
        for (BatchCommittable committable : committables) {
            assertThat(Batches.gunzip(Batches.local(new org.apache.flink.core.fs.Path(committable.stagedPath()))))
                    .isEqualTo(expectedContent(committable.batch()));
        }
        writer.close();
    }

    @Test
    void committingTwiceIsHarmless() throws Exception {
        BatchFileWriter writer = writer(Compression.GZIP);
        BatchDescriptor batch = Batches.descriptor(root, 1, 0, 50);
        write(writer, Batches.chunks(batch, 100));
        Collection<BatchCommittable> committables = writer.prepareCommit();
        commit(committables);
        assertThat(commit(committables)).extracting(FakeCommitRequest::outcome).containsOnly(FakeCommitRequest.Outcome.COMMITTED);
        assertThat(Batches.visibleObjects(root)).singleElement().satisfies(p -> assertThat(Batches.gunzip(p)).isEqualTo(expectedContent(batch)));
    }

    @Test
    void aRestoredCommittableCommitsWithAFreshCommitter() throws Exception {
        BatchFileWriter writer = writer(Compression.NONE);
        BatchDescriptor batch = Batches.descriptor(root, 2, 5, 20);
        write(writer, Batches.chunks(batch, 64));
        BatchCommittableSerializer serializer = new BatchCommittableSerializer();
        List<BatchCommittable> restored = new ArrayList<>();
        for (BatchCommittable committable : writer.prepareCommit()) {
            // As in a checkpoint: serialized, then read back by a new job attempt.
            restored.add(new BatchCommittableSerializer().deserialize(serializer.getVersion(), serializer.serialize(committable)));
        }
        writer.close();
        commit(restored);
        Path object = root.resolve("system/staging/2-5-20241114T100005Z_20241114T100006Z_" + batch.hash() + ".log");
        assertThat(Batches.visibleObjects(root)).containsExactly(object);
        assertThat(Files.readString(object)).isEqualTo(expectedContent(batch));
    }

    @Test
    void aBatchStillOpenAtACheckpointIsABrokenContract() throws Exception {
        BatchFileWriter writer = writer(Compression.GZIP);
        List<BatchChunk> chunks = Batches.chunks(Batches.descriptor(root, 3, 0, 100), 200);
        writer.write(chunks.get(0), null);
        assertThat(metrics).isNotNull();
        assertThatThrownBy(writer::prepareCommit).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("batch 0 of job 3").hasMessageContaining("in one go");
    }

    @Test
    void chunksOutOfOrderAreRefused() throws Exception {
        BatchFileWriter writer = writer(Compression.GZIP);
        List<BatchChunk> chunks = Batches.chunks(Batches.descriptor(root, 4, 0, 100), 200);
        assertThatThrownBy(() -> writer.write(chunks.get(1), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without the batch's first chunk");
        writer.write(chunks.get(0), null);
        assertThatThrownBy(() -> writer.write(chunks.get(2), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chunk 1").hasMessageContaining("was due");
    }

    @Test
    void anAbandonedBatchLeavesNothingVisible() throws Exception {
        BatchFileWriter writer = writer(Compression.GZIP);
        List<BatchChunk> chunks = Batches.chunks(Batches.descriptor(root, 5, 0, 100), 200);
        writer.write(chunks.get(0), null);
        writer.close();
        assertThat(Batches.visibleObjects(root)).isEmpty();
    }
}
