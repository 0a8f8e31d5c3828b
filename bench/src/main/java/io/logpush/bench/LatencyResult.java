package io.logpush.bench;

/**
 * Event → committed-object latency of one contender: from an event's time (when it was produced)
 * to when its object was first seen in the destination, over every record of a paced run.
 */
record LatencyResult(String contender, int ratePerSecond, int seconds, long produced, long records,
                     long p50Millis, long p99Millis, long maxMillis) {}
