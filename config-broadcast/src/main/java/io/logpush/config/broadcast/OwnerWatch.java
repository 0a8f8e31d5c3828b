package io.logpush.config.broadcast;

/**
 * The owners named by a job config on the config topic, followed live. It never forgets an owner
 * and does not validate configs, so it always knows every owner the router has an enabled job for
 * (and more): an event of an owner it does not know can be dropped before it costs the hop to the
 * router.
 */
public interface OwnerWatch extends AutoCloseable {

    /**
     * Whether a config names, or named, {@code owner}.
     *
     * @throws IllegalStateException once following the topic has failed: the task restarts and reads it again
     */
    boolean has(String owner);

    /** How many owners it knows. */
    int size();

    @Override
    void close();
}
