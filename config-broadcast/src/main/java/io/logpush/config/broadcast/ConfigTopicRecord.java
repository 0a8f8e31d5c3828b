package io.logpush.config.broadcast;

/**
 * One raw record of the config topic as the pipeline's source hands it over; decoded by
 * {@link io.logpush.config.topic.ConfigRecordCodec} inside the config stage so that nothing a
 * producer writes can fail the source.
 *
 * @param key the record key, or null
 * @param value the record value, or null for a tombstone
 */
public record ConfigTopicRecord(byte[] key, byte[] value, long offset, long timestamp) {}
