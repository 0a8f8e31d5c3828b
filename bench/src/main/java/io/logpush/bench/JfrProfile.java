package io.logpush.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Java Flight Recorder recording of a run (JFR's "profile" settings), summarised as the methods
 * that most often were on top of a sampled stack: where the CPU time goes.
 */
final class JfrProfile {

    private final Recording recording;

    private JfrProfile(Recording recording) {
        this.recording = recording;
    }

    static JfrProfile start() throws IOException, ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return new JfrProfile(recording);
    }

    /**
     * Stops, keeps the recording at {@code file}, and returns two rankings of its Java and native
     * (JNI: RocksDB, zlib) stack samples: the methods on top of the stack (self time), and the
     * pipeline's and Flink's operator methods anywhere on it (inclusive time).
     */
    String stopAndSummarize(Path file, int limit) throws IOException {
        recording.stop();
        Files.createDirectories(file.toAbsolutePath().getParent());
        recording.dump(file);
        recording.close();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            RecordedStackTrace stack = event.getStackTrace();
            if (!(type.equals("jdk.ExecutionSample") || type.equals("jdk.NativeMethodSample")) || stack == null
                    || stack.getFrames().isEmpty() || isIdle(stack)) {
                continue;
            }
            samples++;
            self.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : stack.getFrames()) {
                String name = name(frame);
                if (INCLUSIVE.matcher(name).find() && seen.add(name)) {
                    inclusive.merge(name, 1, Integer::sum);
                }
            }
        }
        return "Busy stack samples (Java and native): " + samples + "\n\nSelf (top of stack):\n" + top(self, samples, limit)
                + "\n\nInclusive (our code, operators, serializers, state, sinks):\n" + top(inclusive, samples, limit);
    }

    /** Threads parked, waiting or polling sockets are not work. */
    private static boolean isIdle(RecordedStackTrace stack) {
        String top = name(stack.getFrames().get(0));
        return IDLE.matcher(top).find();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String top(Map<String, Integer> counts, int total, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .map(e -> String.format("%5.1f%%  %s", 100.0 * e.getValue() / total, e.getKey()))
                .collect(Collectors.joining("\n"));
    }

    private static final Pattern INCLUSIVE = Pattern.compile("^(io\\.logpush\\.(?!bench)|org\\.rocksdb\\.RocksDB\\.|"
            + "org\\.apache\\.flink\\.streaming\\.runtime\\.io\\.RecordWriterOutput\\.collect|"
            + "org\\.apache\\.flink\\.runtime\\.io\\.network\\.api\\.serialization\\..*Deserializer\\.getNextRecord|"
            + "org\\.apache\\.flink\\.streaming\\.api\\.operators\\.InternalTimerServiceImpl\\.|"
            + "org\\.apache\\.flink\\.connector\\.kafka\\.source\\.reader\\.KafkaRecordEmitter\\.emitRecord|"
            + "org\\.apache\\.kafka\\.clients\\.consumer\\.KafkaConsumer\\.poll|"
            + "org\\.apache\\.flink\\.runtime\\.checkpoint\\.|"
            + "com\\.fasterxml\\.jackson\\.databind\\.ObjectMapper\\.readTree|java\\.util\\.zip\\.Deflater\\.deflate)");
    private static final Pattern IDLE = Pattern.compile("(Unsafe\\.park|Object\\.wait|Thread\\.sleep|EPoll|epollWait|waitForProcessExit|Net\\.accept"
            + "|SocketDispatcher\\.read|Net\\.poll|FileDispatcherImpl\\.read)");
}
