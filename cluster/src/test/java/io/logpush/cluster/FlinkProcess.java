package io.logpush.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JobManager or TaskManager of a standalone Flink cluster, run as its own {@code java} process
 * from Maven Central's jars, with its memory settings computed the way Flink's own scripts do
 * ({@code BashJavaUtils}) and the S3 filesystem as a plugin.
 */
final class FlinkProcess implements AutoCloseable {

    /** The two kinds of cluster process. */
    enum Kind {
        JOBMANAGER("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "GET_JM_RESOURCE_PARAMS"),
        TASKMANAGER("org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "GET_TM_RESOURCE_PARAMS");

        final String mainClass;
        final String resourceCommand;

        Kind(String mainClass, String resourceCommand) {
            this.mainClass = mainClass;
            this.resourceCommand = resourceCommand;
        }
    }

    /** The flags Flink's scripts pass on Java 17 (env.java.opts.all in flink-conf/config.yaml). */
    private static final List<String> JAVA_17_FLAGS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Process process;

    private FlinkProcess(Process process) {
        this.process = process;
    }

    static FlinkProcess start(Kind kind, Path confDir, List<String> dynamicProperties, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        String classpath = Files.readString(Path.of(System.getProperty("cluster.classpath"))).strip();
        List<String> resources = resourceParams(kind, classpath, confDir, dynamicProperties);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(resources.get(0).trim().split("\\s+")));
        command.addAll(JAVA_17_FLAGS);
        command.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j-console.properties"));
        command.add("-cp");
        command.add(classpath);
        command.add(kind.mainClass);
        command.add("--configDir");
        command.add(confDir.toString());
        for (String property : dynamicProperties) {
            command.add("-D");
            command.add(property);
        }
        if (resources.size() > 1) {
            command.addAll(Arrays.asList(resources.get(1).trim().split("\\s+")));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FLINK_PLUGINS_DIR", System.getProperty("cluster.plugins"));
        builder.environment().putAll(env);
        return new FlinkProcess(builder.start());
    }

    /** The JVM arguments (line 1) and dynamic properties (line 2) Flink's scripts would use. */
    private static List<String> resourceParams(Kind kind, String classpath, Path confDir, List<String> dynamicProperties)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "org.apache.flink.runtime.util.bash.BashJavaUtils", kind.resourceCommand, "--configDir",
                confDir.toString()));
        for (String property : dynamicProperties) {
            command.add("-D");
            command.add(property);
        }
        Process utils = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(utils.getInputStream().readAllBytes());
        if (!utils.waitFor(60, TimeUnit.SECONDS) || utils.exitValue() != 0) {
            throw new IllegalStateException("BashJavaUtils failed: " + output);
        }
        List<String> result = Arrays.stream(output.split("\n"))
                .filter(line -> line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(line -> line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()))
                .toList();
        if (result.isEmpty()) {
            throw new IllegalStateException("no BASH_JAVA_UTILS_EXEC_RESULT in: " + output);
        }
        return result;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: the process gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
