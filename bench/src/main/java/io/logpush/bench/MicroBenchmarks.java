package io.logpush.bench;

import io.logpush.bench.micro.ObjectLifecycleBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code logpush bench micro}: the JMH micro-benchmarks of the hot path (routing, parse/filter/encode, gzip) and of an object's file-system work. */
@Command(name = "micro", mixinStandardHelpOptions = true,
        description = "JMH micro-benchmarks of the hot path (envelope routing, parse, filter, encode, gzip) and of one object's file-system work.")
final class MicroBenchmarks implements Callable<Integer> {

    @Option(names = "--include", description = "Regex of benchmarks to run (default: ${DEFAULT-VALUE}).")
    String include = "io.logpush.bench.micro.*";

    @Option(names = "--seconds", description = "Seconds per measurement iteration (default: ${DEFAULT-VALUE}).")
    int seconds = 2;

    @Option(names = "--results", paramLabel = "DIR", description = "Where micro.md goes (default: ${DEFAULT-VALUE}).")
    Path results = Path.of("bench", "results");

    @Override
    public Integer call() throws Exception {
        Collection<RunResult> runs = new Runner(new OptionsBuilder()
                .include(include)
                .forks(1)
                .jvmArgs("-Xms1g", "-Xmx1g")
                .warmupIterations(2).warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(3).measurementTime(TimeValue.seconds(seconds))
                .timeUnit(TimeUnit.NANOSECONDS)
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .build()).run();
        ObjectLifecycleBenchmark.deleteScratch();
        StringBuilder md = new StringBuilder("# Micro-benchmarks (JMH, average time per operation)\n\n")
                .append("| benchmark | ns/op | ± error | CPU ns/op |\n|---|---:|---:|---:|\n");
        for (RunResult run : runs) {
            var score = run.getPrimaryResult();
            StringBuilder name = new StringBuilder(run.getParams().getBenchmark().replace("io.logpush.bench.micro.", ""));
            for (String key : run.getParams().getParamsKeys()) {
                name.append(' ').append(key).append('=').append(run.getParams().getParam(key));
            }
            // Benchmarks that count their thread's CPU time (kernel work included) report it per operation too.
            var cpu = run.getSecondaryResults().get("cpuNanos");
            var ops = run.getSecondaryResults().get("objects");
            String cpuPerOp = cpu == null || ops == null || ops.getScore() == 0 ? "–"
                    : String.format("%,.1f", cpu.getScore() / ops.getScore());
            md.append(String.format("| %s | %,.1f | %,.1f | %s |%n", name, score.getScore(), score.getScoreError(), cpuPerOp));
        }
        Files.createDirectories(results);
        Files.writeString(results.resolve("micro.md"), md);
        System.out.print(md);
        return 0;
    }
}
