package io.logpush.bench;

import one.profiler.AsyncProfiler;
import one.profiler.Counter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A profile of a run by async-profiler, summarised per thread: which task threads use the CPU, or
 * the time, and where each spends it. It samples native code (zlib, RocksDB) too; Java Flight
 * Recorder samples threads in Java code whether or not they have a core, and little native code,
 * so on this 2-core machine it put the routers ahead of the buffers and missed most of the gzip
 * (steps.md §26).
 */
final class ThreadProfile {

    /** What a profile samples. */
    enum Kind {
        /** CPU time: where the threads spend the cores. */
        CPU("event=cpu,interval=1ms", "CPU samples (1 ms each, native code included)"),
        /**
         * Wall-clock time, on a core or not: also where the threads wait, for input, a lock, the
         * kernel or a free core (steps.md §38).
         */
        WALL("event=wall,interval=5ms", "Wall-clock samples (every 5 ms of each thread, running or waiting)");

        private final String options;
        private final String samples;

        Kind(String options, String samples) {
            this.options = options;
            this.samples = samples;
        }
    }

    /** A Flink task thread's subtask and attempt, {@code (1/2)#0}: a thread of the pipeline's operators. */
    private static final Pattern TASK_THREAD = Pattern.compile(" \\(\\d+/\\d+\\)#\\d+");
    /** A thread frame {@code [name tid=N]}: the name without the id, subtask index and attempt. */
    private static final Pattern THREAD_SUFFIX =
            Pattern.compile("( tid=\\d+)?]$|" + TASK_THREAD.pattern() + "| \\(\\d+/\\d+\\)|[-#]?\\d+$");
    /** What async-profiler appends to a frame's name: its kind (interpreted, inlined, kernel, ...). */
    private static final Pattern FRAME_KIND = Pattern.compile("_\\[[a-z0-9]]$");

    private final AsyncProfiler profiler;
    private final Kind kind;

    private ThreadProfile(AsyncProfiler profiler, Kind kind) {
        this.profiler = profiler;
        this.kind = kind;
    }

    static ThreadProfile start(Kind kind) throws IOException {
        AsyncProfiler profiler = AsyncProfiler.getInstance(); // its native library, from the jar, for this platform
        profiler.execute("start," + kind.options + ",threads");
        return new ThreadProfile(profiler, kind);
    }

    /** Stops, keeps the stacks at {@code file} (collapsed: one line per stack, for flame graph tools), and summarises them. */
    String stopAndSummarize(Path file, int limit) throws IOException {
        profiler.stop();
        String collapsed = profiler.dumpCollapsed(Counter.SAMPLES);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, collapsed);
        return summarize(kind, collapsed, limit);
    }

    /**
     * The share of the samples of each thread group (task threads of all subtasks together), then,
     * for the three busiest groups that run the pipeline's code, their top frames: on top of the
     * stack (self) and, for our code, RocksDB and deflate, anywhere on it (inclusive). Of a
     * wall-clock profile, where most threads wait most of the time, it lists only Flink's task
     * threads that run the pipeline's code, each with the share of its own time that it does (on a
     * core or waiting for one, the kernel or a lock), the rest being waits for input.
     */
    static String summarize(Kind kind, String collapsed, int limit) {
        Map<String, Long> perThread = new HashMap<>();
        Map<String, Map<String, Long>> self = new HashMap<>();
        Map<String, Map<String, Long>> inclusive = new HashMap<>();
        Map<String, Long> inPipeline = new HashMap<>();
        Set<String> tasks = new HashSet<>();
        long total = 0;
        for (String line : collapsed.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long samples = Long.parseLong(line.substring(space + 1).trim());
            List<String> frames = List.of(line.substring(0, space).split(";"));
            String thread = threadGroup(frames.get(0));
            if (TASK_THREAD.matcher(frames.get(0)).find()) {
                tasks.add(thread);
            }
            total += samples;
            perThread.merge(thread, samples, Long::sum);
            self.computeIfAbsent(thread, t -> new HashMap<>()).merge(frame(frames.get(frames.size() - 1)), samples, Long::sum);
            Set<String> seen = new HashSet<>();
            for (String frame : frames.subList(1, frames.size())) {
                String name = frame(frame);
                if ((name.startsWith("io/logpush/") && !name.startsWith("io/logpush/bench/")
                        || name.startsWith("org/rocksdb/RocksDB.") || name.contains("Deflater.deflate")) && seen.add(name)) {
                    inclusive.computeIfAbsent(thread, t -> new HashMap<>()).merge(name, samples, Long::sum);
                }
            }
            if (!seen.isEmpty()) {
                inPipeline.merge(thread, samples, Long::sum);
            }
        }
        long all = total; // for the lambdas
        StringBuilder out = new StringBuilder(kind.samples).append(": ").append(total).append("\n\n");
        // The pipeline's threads: those running our code (the JIT compilers and the GC do not).
        Map<String, Long> threads;
        if (kind == Kind.WALL) {
            out.append("By task thread, the share of its time in the pipeline's code:\n");
            inPipeline.keySet().retainAll(tasks);
            threads = top(inPipeline, limit);
            threads.forEach((thread, n) -> out.append(percent(n, perThread.get(thread))).append(thread).append('\n'));
        } else {
            out.append("By thread:\n");
            threads = top(perThread, limit);
            threads.forEach((thread, n) -> out.append(percent(n, all)).append(thread).append('\n'));
        }
        threads.keySet().stream().filter(inclusive::containsKey).limit(3).forEach(thread -> {
            long n = perThread.get(thread);
            out.append("\n").append(thread).append(", self (top of stack):\n");
            top(self.get(thread), limit).forEach((frame, m) -> out.append(percent(m, n)).append(frame).append('\n'));
            out.append(thread).append(", inclusive (our code, RocksDB, deflate):\n");
            top(inclusive.get(thread), limit).forEach((frame, m) -> out.append(percent(m, n)).append(frame).append('\n'));
        });
        return out.toString().stripTrailing();
    }

    private static String threadGroup(String threadFrame) {
        String name = threadFrame.startsWith("[") ? threadFrame.substring(1) : threadFrame;
        String before;
        do {
            before = name;
            name = THREAD_SUFFIX.matcher(name).replaceAll("").trim();
        } while (!name.equals(before));
        return name;
    }

    /** A frame's name without its kind; a native library's without its directory (a temporary one for RocksDB's). */
    private static String frame(String frame) {
        String name = FRAME_KIND.matcher(frame).replaceAll("");
        return name.startsWith("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
    }

    private static Map<String, Long> top(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static String percent(long part, long whole) {
        return String.format("%5.1f%%  ", 100.0 * part / whole);
    }
}
