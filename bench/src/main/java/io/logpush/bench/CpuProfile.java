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
 * A CPU profile of a run by async-profiler, summarised per thread: which task threads use the CPU,
 * and where each spends it. It samples CPU time, native code (zlib, RocksDB) included; Java Flight
 * Recorder samples threads in Java code whether or not they have a core, and little native code,
 * so on this 2-core machine it put the routers ahead of the buffers and missed most of the gzip
 * (steps.md §26).
 */
final class CpuProfile {

    /** A thread frame {@code [name tid=N]}: the name without the id, subtask index and attempt. */
    private static final Pattern THREAD_SUFFIX = Pattern.compile("( tid=\\d+)?]$| \\(\\d+/\\d+\\)#\\d+| \\(\\d+/\\d+\\)|[-#]?\\d+$");
    /** What async-profiler appends to a frame's name: its kind (interpreted, inlined, kernel, ...). */
    private static final Pattern FRAME_KIND = Pattern.compile("_\\[[a-z0-9]]$");

    private final AsyncProfiler profiler;

    private CpuProfile(AsyncProfiler profiler) {
        this.profiler = profiler;
    }

    static CpuProfile start() throws IOException {
        AsyncProfiler profiler = AsyncProfiler.getInstance(); // its native library, from the jar, for this platform
        profiler.execute("start,event=cpu,interval=1ms,threads");
        return new CpuProfile(profiler);
    }

    /** Stops, keeps the stacks at {@code file} (collapsed: one line per stack, for flame graph tools), and summarises them. */
    String stopAndSummarize(Path file, int limit) throws IOException {
        profiler.stop();
        String collapsed = profiler.dumpCollapsed(Counter.SAMPLES);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, collapsed);
        return summarize(collapsed, limit);
    }

    /**
     * The share of the samples of each thread group (task threads of all subtasks together), then,
     * for the three busiest groups that run the pipeline's code, their top frames: on top of the
     * stack (self) and, for our code, RocksDB and deflate, anywhere on it (inclusive).
     */
    static String summarize(String collapsed, int limit) {
        Map<String, Long> perThread = new HashMap<>();
        Map<String, Map<String, Long>> self = new HashMap<>();
        Map<String, Map<String, Long>> inclusive = new HashMap<>();
        long total = 0;
        for (String line : collapsed.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long samples = Long.parseLong(line.substring(space + 1).trim());
            List<String> frames = List.of(line.substring(0, space).split(";"));
            String thread = threadGroup(frames.get(0));
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
        }
        long all = total; // for the lambdas
        StringBuilder out = new StringBuilder("CPU samples (1 ms each, native code included): ").append(total).append("\n\nBy thread:\n");
        Map<String, Long> threads = top(perThread, limit);
        threads.forEach((thread, n) -> out.append(percent(n, all)).append(thread).append('\n'));
        // The pipeline's threads: those running our code (the JIT compilers and the GC do not).
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
