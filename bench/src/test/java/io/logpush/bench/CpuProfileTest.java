package io.logpush.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a CPU profile's stacks are summarised: per thread group, then where the pipeline's busiest groups spend their samples. */
class CpuProfileTest {

    private static final String COLLAPSED = String.join("\n",
            "[Per-job batch buffer -> Batch file sink: Writer (1/2)#0 tid=11];java/lang/Thread.run;"
                    + "io/logpush/job/functions/JobBuffer.flush;java/util/zip/Deflater.deflateBytesBytes_[j];/usr/lib/libz.so.1 50",
            "[Per-job batch buffer -> Batch file sink: Writer (2/2)#0 tid=12];java/lang/Thread.run;"
                    + "io/logpush/job/functions/JobBuffer.flush_[i];org/rocksdb/RocksDB.get;/tmp/rocksdb-lib-1f/librocksdbjni.so 20",
            "[Route, filter, sample, encode (1/2)#0 tid=13];java/lang/Thread.run;"
                    + "io/logpush/job/functions/EventRouter.processElement;io/logpush/job/functions/EventParser.parse 25",
            "[GC Thread#0 tid=14];GCTaskThread::run 2",
            "[GC Thread#1 tid=15];GCTaskThread::run 2",
            "[main tid=1];io/logpush/bench/BenchCommand.call;java/lang/Thread.sleep 1",
            "");

    @Test
    void threadsOfAllSubtasksAreOneGroupBusiestFirst() {
        String summary = CpuProfile.summarize(COLLAPSED, 10);
        assertThat(summary).startsWith("CPU samples (1 ms each, native code included): 100\n\nBy thread:\n"
                + " 70.0%  Per-job batch buffer -> Batch file sink: Writer\n"
                + " 25.0%  Route, filter, sample, encode\n"
                + "  4.0%  GC Thread\n"
                + "  1.0%  main\n");
        assertThat(summary).doesNotContain("_[j]").doesNotContain("_[i]").doesNotContain("tid=");
    }

    @Test
    void eachPipelineThreadListsItsFramesOnTopOfTheStackAndOurCodeRocksDbAndDeflateAnywhereOnIt() {
        String summary = CpuProfile.summarize(COLLAPSED, 10);
        assertThat(summary).contains("Per-job batch buffer -> Batch file sink: Writer, self (top of stack):\n"
                + " 71.4%  libz.so.1\n"
                + " 28.6%  librocksdbjni.so\n");
        assertThat(summary).contains("Per-job batch buffer -> Batch file sink: Writer, inclusive (our code, RocksDB, deflate):\n"
                + "100.0%  io/logpush/job/functions/JobBuffer.flush\n");
        assertThat(summary).contains(" 71.4%  java/util/zip/Deflater.deflateBytesBytes\n").contains(" 28.6%  org/rocksdb/RocksDB.get");
        assertThat(summary).contains("Route, filter, sample, encode, self (top of stack):\n"
                + "100.0%  io/logpush/job/functions/EventParser.parse\n");
    }

    @Test
    void threadsThatRunNoneOfThePipelinesCodeAreListedButNotBrokenDown() {
        String summary = CpuProfile.summarize(COLLAPSED, 10);
        assertThat(summary).doesNotContain("GC Thread, self").doesNotContain("main, self");
        assertThat(CpuProfile.summarize(COLLAPSED, 1)).as("at limit 1: one line per list, the busiest thread only")
                .contains("By thread:\n 70.0%  Per-job batch buffer -> Batch file sink: Writer\n\n")
                .contains("Writer, self (top of stack):\n 71.4%  libz.so.1\n")
                .doesNotContain("Route, filter");
    }
}
