package io.logpush.bench;

/** The topics of one workload: events, config, config status and dead letters, under a common prefix. */
record BenchTopics(String prefix) {

    String events() {
        return prefix + "-events";
    }

    String config() {
        return prefix + "-config";
    }

    String status() {
        return prefix + "-config-status";
    }

    String deadLetters() {
        return prefix + "-dlq";
    }
}
