package io.logpush.config.broadcast;

/** A Kafka record ready to send (status and dead-letter topics): key and value bytes. */
public record KeyValueBytes(byte[] key, byte[] value) {}
