package io.logpush.job.records;

/**
 * An event the pipeline could not deliver, with why and where it came from; written to the
 * dead-letter topic with the owner as key (the original key, unless an {@code owner} header named the
 * owner) and the original value, the rest in headers (as Kafka Connect does).
 *
 * @param jobId the job it failed for, or 0 if it failed before routing
 */
public record DeadLetter(byte[] key, byte[] value, String reason, String topic, int partition, long offset, long jobId) {

    public static DeadLetter of(RawEvent event, String reason, long jobId) {
        byte[] key = event.owner().isEmpty() ? null : event.owner().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new DeadLetter(key, event.value(), reason, event.topic(), event.partition(), event.offset(), jobId);
    }
}
