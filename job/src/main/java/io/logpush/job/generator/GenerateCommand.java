package io.logpush.job.generator;

import io.logpush.config.topic.ConfigTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.logpush.config.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code logpush generate}: realistic {@code http_requests} events to the events topic at a
 * steady rate, deterministic for a seed, reporting how many events each owner got so that
 * delivery can be checked.
 */
@Command(name = "logpush generate", mixinStandardHelpOptions = true, version = "logpush 0.1.0",
        description = "Produce realistic http_requests events (Zipf-distributed zones) to the events topic.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = {"-b", "--bootstrap-servers"}, required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--topic", description = "Events topic (default: ${DEFAULT-VALUE}).")
    String topic = ConfigTopics.EVENTS;

    @Option(names = "--zones", required = true, description = "How many zones (owners) to spread events over.")
    int zones;

    @Option(names = "--rate", required = true, description = "Events per second.")
    int rate;

    @Option(names = "--seconds", description = "How long (default: ${DEFAULT-VALUE}).")
    int seconds = 60;

    @Option(names = "--seed", description = "Seed: the same seed gives the same events (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--counts", paramLabel = "FILE", description = "Write per-owner counts as CSV (owner,events) to FILE.")
    Path counts;

    public static void main(String[] args) {
        Cli.run(new GenerateCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (zones < 1 || rate < 1 || seconds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--zones, --rate and --seconds must be positive");
        }
        HttpRequestsGenerator generator = new HttpRequestsGenerator(zones, seed);
        Map<String, Long> perOwner = new TreeMap<>();
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        long total = 0;
        long target = (long) rate * seconds;
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            while (total < target) {
                long due = Math.min(target, (long) ((System.nanoTime() - started) / 1e9 * rate));
                for (; total < due; total++) {
                    String zone = HttpRequestsGenerator.zone(generator.nextZone());
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, zone.getBytes(StandardCharsets.UTF_8),
                            generator.event(zone, HttpRequestsGenerator.rayId(seed, total), Instant.now()).getBytes(StandardCharsets.UTF_8));
                    record.headers().add("dataset", "http_requests".getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                    perOwner.merge(zone, 1L, Long::sum);
                }
                Thread.sleep(5);
            }
        }
        System.out.printf("generated %,d events for %,d owners in %.1f s; busiest: %s%n", total, perOwner.size(),
                (System.nanoTime() - started) / 1e9, perOwner.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                        .map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (counts != null) {
            StringBuilder csv = new StringBuilder("owner,events\n");
            perOwner.forEach((owner, n) -> csv.append(owner).append(',').append(n).append('\n'));
            Files.writeString(counts, csv);
        }
        return 0;
    }
}
