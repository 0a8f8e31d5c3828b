package io.logpush.bench;

import io.logpush.config.cli.Cli;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a profile's stacks are summarised: per thread group, then where the pipeline's busiest groups spend their samples. */
class ThreadProfileTest {

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
        String summary = ThreadProfile.summarize(ThreadProfile.Kind.CPU, COLLAPSED, 10);
        assertThat(summary).startsWith("CPU samples (1 ms each, native code included): 100\n\nBy thread:\n"
                + " 70.0%  Per-job batch buffer -> Batch file sink: Writer\n"
                + " 25.0%  Route, filter, sample, encode\n"
                + "  4.0%  GC Thread\n"
                + "  1.0%  main\n");
        assertThat(summary).doesNotContain("_[j]").doesNotContain("_[i]").doesNotContain("tid=");
    }

    @Test
    void eachPipelineThreadListsItsFramesOnTopOfTheStackAndOurCodeRocksDbAndDeflateAnywhereOnIt() {
        String summary = ThreadProfile.summarize(ThreadProfile.Kind.CPU, COLLAPSED, 10);
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
        String summary = ThreadProfile.summarize(ThreadProfile.Kind.CPU, COLLAPSED, 10);
        assertThat(summary).doesNotContain("GC Thread, self").doesNotContain("main, self");
        assertThat(ThreadProfile.summarize(ThreadProfile.Kind.CPU, COLLAPSED, 1)).as("at limit 1: one line per list, the busiest thread only")
                .contains("By thread:\n 70.0%  Per-job batch buffer -> Batch file sink: Writer\n\n")
                .contains("Writer, self (top of stack):\n 71.4%  libz.so.1\n")
                .doesNotContain("Route, filter");
    }

    @Test
    void aWallClockProfileListsThePipelinesThreadsWithTheShareOfTheirTimeInItsCode() {
        String waits = String.join("\n", COLLAPSED,
                "[Per-job batch buffer -> Batch file sink: Writer (1/2)#0 tid=11];java/lang/Thread.run;"
                        + "org/apache/flink/streaming/runtime/tasks/mailbox/TaskMailboxImpl.take;__futex_abstimed_wait_common 30",
                "[batch-close-thread-1 tid=16];java/lang/Thread.run;java/util/concurrent/ThreadPoolExecutor.getTask;Unsafe.park 400",
                "[owner-watch tid=17];java/lang/Thread.run;io/logpush/config/broadcast/KafkaOwnerWatch.follow;epoll_wait 100",
                "");
        String summary = ThreadProfile.summarize(ThreadProfile.Kind.WALL, waits, 10);
        assertThat(summary).as("only the task threads, each with the share of its own time in the pipeline's code")
                .startsWith("Wall-clock samples (every 5 ms of each thread, running or waiting): 630\n\n"
                        + "By task thread, the share of its time in the pipeline's code:\n"
                        + " 70.0%  Per-job batch buffer -> Batch file sink: Writer\n"
                        + "100.0%  Route, filter, sample, encode\n\n");
        assertThat(summary).contains("Per-job batch buffer -> Batch file sink: Writer, self (top of stack):\n"
                + " 50.0%  libz.so.1\n"
                + " 30.0%  __futex_abstimed_wait_common\n");
    }

    @Test
    void theProfileOptionProfilesCpuTimeUnlessWallClockTimeIsAskedFor() {
        BenchCommand command = new BenchCommand();
        Cli.commandLine(command).parseArgs("--events", "10");
        assertThat(command.profile).as("no --profile: no profile").isNull();
        Cli.commandLine(command).parseArgs("--profile", "--events", "10");
        assertThat(command.profile).isEqualTo(ThreadProfile.Kind.CPU);
        Cli.commandLine(command).parseArgs("--profile=wall");
        assertThat(command.profile).isEqualTo(ThreadProfile.Kind.WALL);
    }
}
