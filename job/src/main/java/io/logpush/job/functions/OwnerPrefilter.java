package io.logpush.job.functions;

import io.logpush.config.Dataset;
import io.logpush.config.broadcast.ConfigBootstrap;
import io.logpush.config.broadcast.OwnerWatch;
import io.logpush.job.records.RawEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Drops, in the source's own task, the events of owners that no job config names: at
 * Cloudflare's scale more than 90% of events, which would otherwise each be serialized, copied and
 * handed to the router's task only to be counted there. Flink can chain this filter to the source;
 * it cannot chain the router, whose second input is the broadcast config stream (a task with a
 * chained source and a network input never receives its source's checkpoint barrier).
 *
 * <p>It decides by an {@link OwnerWatch}, which follows the config topic and never forgets an owner,
 * so it passes every event the router could route: the router stays the one that decides, by the
 * checkpointed broadcast state, and this filter only removes what the router would count as
 * unconfigured. Events it cannot judge (no owner, no or unknown dataset) pass on for the router to
 * dead-letter with their reason.
 *
 * <p>Counters: {@code eventsRead = eventsUnconfigured (here) + the router's eventsIn}.
 */
public final class OwnerPrefilter extends RichFilterFunction<RawEvent> {

    private static final long serialVersionUID = 1L;

    private final ConfigBootstrap bootstrap;
    private transient OwnerWatch owners;
    // Package-visible for tests.
    transient Counter eventsRead;
    transient Counter eventsUnconfigured;

    public OwnerPrefilter(ConfigBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        owners = bootstrap.watchOwners().orElse(null);
        MetricGroup group = getRuntimeContext().getMetricGroup();
        eventsRead = group.counter("eventsRead");
        eventsUnconfigured = group.counter("eventsUnconfigured");
        group.gauge("configuredOwners", () -> owners == null ? -1 : owners.size());
    }

    @Override
    public boolean filter(RawEvent event) {
        eventsRead.inc();
        if (owners == null || event.owner().isEmpty() || owners.has(event.owner())
                || event.dataset().isEmpty() || Dataset.byName(event.dataset()).isEmpty()) {
            return true;
        }
        eventsUnconfigured.inc();
        return false;
    }

    @Override
    public void close() {
        if (owners != null) {
            owners.close();
        }
    }
}
