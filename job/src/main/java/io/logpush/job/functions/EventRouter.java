package io.logpush.job.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.logpush.config.Dataset;
import io.logpush.config.DeploymentPolicy;
import io.logpush.config.JobConfigParser;
import io.logpush.config.LogpushJob;
import io.logpush.config.broadcast.ConfigBootstrap;
import io.logpush.config.broadcast.ConfigUpdate;
import io.logpush.config.broadcast.JobTable;
import io.logpush.config.filter.EventFieldException;
import io.logpush.config.filter.EventFilter;
import io.logpush.config.guard.GuardSettings;
import io.logpush.config.output.OutputOptions;
import io.logpush.config.output.RecordEncoder;
import io.logpush.job.records.DeadLetter;
import io.logpush.job.records.JobFrame;
import io.logpush.job.records.JobFrameUpdate;
import io.logpush.job.records.JobFrameUpdateSerializer;
import io.logpush.job.records.RawEvent;
import io.logpush.job.records.RoutedRecord;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Routes each event to the enabled jobs that want it and encodes it for each: owner + dataset
 * pick the jobs (from the record key and a header, without parsing the event); only then is the
 * event parsed (keeping only the fields those jobs read), filtered, sampled and encoded per job. Events of owners without an enabled job are
 * counted and dropped unparsed: the hot path at Cloudflare's scale, and there is no fail-open.
 *
 * <p>On a fresh start the router loads the configs in force through its {@link ConfigBootstrap}
 * before its first event, so no event is judged against an empty config; on restore its broadcast
 * state is restored. Malformed events go to {@link #DEAD_LETTERS} with their reason.
 *
 * <p>A job whose records come faster than {@link HotJobs#recordsPerSecond()} here is spread over
 * several buffer lanes ({@link LaneSpreader}); the first time, this instance sends those lanes the
 * job's frame ({@link #LANE_FRAMES}), and then every change of the job's config, as the frame
 * compiler does for lane 0, also after a restore: which lanes it opened is checkpointed
 * ({@link #SPREAD_LANES}). The counter {@code hotJobsSpread} counts those first times.
 *
 * <p>Counters reconcile: {@code eventsIn = eventsUnconfigured + eventsDeadLettered + eventsRouted}
 * and, per routed event and job, {@code recordsFiltered + recordsSampledOut + recordsDeadLettered +
 * recordsRouted}.
 */
public final class EventRouter extends BroadcastProcessFunction<RawEvent, ConfigUpdate, RoutedRecord>
        implements CheckpointedFunction {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    /** The frames of the further lanes of the jobs this instance spreads ({@link LaneSpreader}), for their buffers. */
    public static final OutputTag<JobFrameUpdate> LANE_FRAMES = new OutputTag<>("lane-frames", JobFrameUpdateSerializer.TYPE_INFO);

    /**
     * Per job this instance spread: its id, then the keys of its lanes after lane 0. After a
     * restore, at any parallelism, each entry goes to one instance, which tells those lanes of the
     * job's changes from then on: every instance gets every change, so any one will do, and the
     * state does not multiply by the parallelism as union state would (a lane frame twice, from
     * instances that spread the same job, is harmless: versions decide).
     */
    static final ListStateDescriptor<long[]> SPREAD_LANES =
            new ListStateDescriptor<>("spread-job-lanes", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    private static final long serialVersionUID = 1L;

    private final DeploymentPolicy policy;
    private final GuardSettings guardSettings;
    private final ConfigBootstrap bootstrap;
    private final int maxEventBytes;
    private final HotJobs hotJobs;

    private transient JobTable<Route> table;
    private transient ListState<long[]> spreadLanes;
    private transient JobConfigParser configParser;
    /** owner -> the routes of its enabled jobs, one {@link Routes} per dataset (an owner has a few at most). */
    private transient Map<String, Routes[]> index;
    /**
     * One encoder per distinct dataset and output options: most jobs share a few option sets, and
     * every parallel instance would otherwise hold the options and an encoder per job.
     */
    private transient Map<EncoderKey, RecordEncoder> encoders;
    private transient EventParser parser;
    /** How many routes the index holds, for the gauge (read on the metrics thread, so not the index itself). */
    private transient volatile int activeRoutes;
    /** The buffer every job's encoder renders into. */
    private transient StringBuilder encoding;
    /** Package-visible for tests. */
    transient Counters counters;

    /**
     * One enabled job, compiled to what routing needs: every parallel instance holds one per job, so
     * the parsed config (destination, limits, ...) is not kept.
     */
    private record Route(long jobId, long version, String owner, String dataset, EventFilter filter, double sampleRate,
                         RecordEncoder encoder, LaneSpreader lanes) {}

    private record EncoderKey(Dataset dataset, OutputOptions options) {}

    /**
     * The enabled jobs of one owner and dataset, and the fields they read together.
     *
     * @param fields the top-level fields the jobs' filters and records read; null when some job writes every field
     */
    private record Routes(String dataset, List<Route> routes, Set<String> fields) {
        static Routes of(String dataset, List<Route> routes) {
            if (routes.size() == 1 && routes.get(0).filter().fields().isEmpty()) {
                // The usual case: one job without a filter reads what its (shared) encoder writes.
                return new Routes(dataset, List.copyOf(routes), routes.get(0).encoder().fields().orElse(null));
            }
            Set<String> fields = new HashSet<>();
            for (Route route : routes) {
                Optional<Set<String>> written = route.encoder().fields();
                if (written.isEmpty()) {
                    return new Routes(dataset, List.copyOf(routes), null);
                }
                fields.addAll(written.get());
                fields.addAll(route.filter().fields());
            }
            return new Routes(dataset, List.copyOf(routes), Set.copyOf(fields));
        }
    }

    /** The router's counters (web UI: the router operator's metrics). */
    static final class Counters {
        final Counter eventsIn;
        final Counter eventsUnconfigured;
        final Counter eventsDeadLettered;
        final Counter eventsRouted;
        final Counter recordsFiltered;
        final Counter recordsSampledOut;
        final Counter recordsDeadLettered;
        final Counter recordsRouted;
        final Counter hotJobsSpread;

        Counters(MetricGroup group) {
            eventsIn = group.counter("eventsIn");
            eventsUnconfigured = group.counter("eventsUnconfigured");
            eventsDeadLettered = group.counter("eventsDeadLettered");
            eventsRouted = group.counter("eventsRouted");
            recordsFiltered = group.counter("recordsFiltered");
            recordsSampledOut = group.counter("recordsSampledOut");
            recordsDeadLettered = group.counter("recordsDeadLettered");
            recordsRouted = group.counter("recordsRouted");
            hotJobsSpread = group.counter("hotJobsSpread");
        }
    }

    public EventRouter(DeploymentPolicy policy, GuardSettings guardSettings, ConfigBootstrap bootstrap, int maxEventBytes,
                       HotJobs hotJobs) {
        this.policy = policy;
        this.guardSettings = guardSettings;
        this.bootstrap = bootstrap;
        this.maxEventBytes = maxEventBytes;
        this.hotJobs = hotJobs;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        BroadcastState<Long, ConfigUpdate> state = context.getOperatorStateStore().getBroadcastState(JobTable.STATE);
        configParser = new JobConfigParser(policy);
        encoding = new StringBuilder(512);
        encoders = new HashMap<>();
        table = new JobTable<>(configParser, (job, version) -> job.enabled() ? new Route(job.id(), version, job.owner().id(),
                job.dataset().name(), job.filter(), job.outputOptions().sampleRate(), encoder(job),
                // A lane closes its batch by its interval once the job cools down: a job without one keeps one lane.
                new LaneSpreader(job.id(), job.limits().maxInterval().isZero() ? HotJobs.ONE_LANE : hotJobs,
                        System::currentTimeMillis)) : null);
        if (context.isRestored()) {
            table.load(state.entries());
        } else {
            for (ConfigUpdate update : bootstrap.load(configParser, guardSettings)) {
                table.apply(state, update);
            }
        }
        index = new HashMap<>();
        for (Route route : table.jobs()) {
            addRoute(route);
        }
        dropUnusedEncoders();
        spreadLanes = context.getOperatorStateStore().getListState(SPREAD_LANES);
        for (long[] spread : spreadLanes.get()) {
            // A job removed since has told its lanes already.
            table.job(spread[0]).ifPresent(route -> route.lanes().restoreLanes(Arrays.copyOfRange(spread, 1, spread.length)));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        // Broadcast state is checkpointed by Flink, and the index rebuilt from it; what this instance spread is its own.
        List<long[]> spread = new ArrayList<>();
        for (Route route : table.jobs()) {
            long[] lanes = route.lanes().openedLaneKeys();
            if (lanes.length > 0) {
                long[] entry = new long[lanes.length + 1];
                entry[0] = route.jobId();
                System.arraycopy(lanes, 0, entry, 1, lanes.length);
                spread.add(entry);
            }
        }
        spreadLanes.update(spread);
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new EventParser(64);
        counters = new Counters(getRuntimeContext().getMetricGroup());
        getRuntimeContext().getMetricGroup().gauge("activeJobs", () -> activeRoutes);
    }

    @Override
    public void processBroadcastElement(ConfigUpdate update, Context ctx, Collector<RoutedRecord> out) throws Exception {
        table.apply(ctx.getBroadcastState(JobTable.STATE), update).ifPresent(change -> {
            change.before().ifPresent(before -> {
                removeRoute(before);
                // The job's further lanes hold batches of its former config: they get the change as lane 0 does.
                emitLaneFrames(before.lanes().openedLaneKeys(), update, ctx::output);
            });
            change.after().ifPresent(after -> {
                change.before().ifPresent(before -> after.lanes().continueFrom(before.lanes()));
                addRoute(after);
            });
        });
        if (encoders.size() > 2 * activeRoutes + 16) {
            dropUnusedEncoders(); // amortised: the map has doubled since
        }
    }

    /** Forgets the encoders of options that no job uses any more. */
    private void dropUnusedEncoders() {
        Set<RecordEncoder> used = Collections.newSetFromMap(new IdentityHashMap<>());
        table.jobs().forEach(route -> used.add(route.encoder()));
        encoders.values().removeIf(encoder -> !used.contains(encoder));
    }

    @Override
    public void processElement(RawEvent event, ReadOnlyContext ctx, Collector<RoutedRecord> out) throws Exception {
        counters.eventsIn.inc();
        if (event.owner().isEmpty() || event.dataset().isEmpty()) {
            deadLetter(ctx, event, event.owner().isEmpty() ? "missing owner: no record key or 'owner' header (the zone or account id)"
                    : "missing header 'dataset'", 0);
            return;
        }
        Routes routes = routesOf(index.get(event.owner()), event.dataset());
        if (routes == null) {
            if (Dataset.byName(event.dataset()).isEmpty()) {
                deadLetter(ctx, event, "unknown dataset '" + abbreviate(event.dataset()) + "'", 0);
            } else {
                counters.eventsUnconfigured.inc();
            }
            return;
        }
        if (event.value() == null || event.value().length > maxEventBytes) {
            deadLetter(ctx, event, event.value() == null ? "no value"
                    : "event of " + event.value().length + " bytes exceeds the limit of " + maxEventBytes, 0);
            return;
        }
        JsonNode node;
        try {
            node = parser.parse(event.value(), routes.fields());
        } catch (IOException e) {
            deadLetter(ctx, event, "not valid JSON: " + abbreviate(String.valueOf(e.getMessage()).split("\n")[0]), 0);
            return;
        }
        if (node == null) {
            deadLetter(ctx, event, "not a JSON object", 0);
            return;
        }
        counters.eventsRouted.inc();
        for (Route route : routes.routes()) {
            try {
                if (!route.filter().test(node)) {
                    counters.recordsFiltered.inc();
                } else if (!RecordSampler.keep(route.jobId(), event, route.sampleRate())) {
                    counters.recordsSampledOut.inc();
                } else {
                    long lane = route.lanes().next();
                    if (route.lanes().lanesOpened()) {
                        counters.hotJobsSpread.inc();
                        emitLaneFrames(route.lanes().openedLaneKeys(), ctx.getBroadcastState(JobTable.STATE).get(route.jobId()),
                                ctx::output);
                    }
                    out.collect(new RoutedRecord(lane, route.version(), event.timestamp(), route.encoder().encode(node)));
                    counters.recordsRouted.inc();
                }
            } catch (EventFieldException e) {
                counters.recordsDeadLettered.inc();
                ctx.output(DEAD_LETTERS, DeadLetter.of(event, e.getMessage(), route.jobId()));
            }
        }
    }

    /** Sends the job's frame under {@code config} to the lanes (none: nothing to compile). */
    private void emitLaneFrames(long[] laneKeys, ConfigUpdate config, BiConsumer<OutputTag<JobFrameUpdate>, JobFrameUpdate> output) {
        if (laneKeys.length == 0) {
            return;
        }
        JobFrame frame = FrameCompiler.compile(configParser, config);
        for (long key : laneKeys) {
            output.accept(LANE_FRAMES, new JobFrameUpdate(key, frame));
        }
    }

    private void deadLetter(ReadOnlyContext ctx, RawEvent event, String reason, long jobId) {
        counters.eventsDeadLettered.inc();
        ctx.output(DEAD_LETTERS, DeadLetter.of(event, reason, jobId));
    }

    private RecordEncoder encoder(LogpushJob job) {
        return encoders.computeIfAbsent(new EncoderKey(job.dataset(), job.outputOptions()),
                key -> new RecordEncoder(key.options(), key.dataset(), encoding));
    }

    private static Routes routesOf(Routes[] byDataset, String dataset) {
        if (byDataset != null) {
            for (Routes routes : byDataset) {
                if (routes.dataset().equals(dataset)) {
                    return routes;
                }
            }
        }
        return null;
    }

    private void addRoute(Route route) {
        Routes[] byDataset = index.getOrDefault(route.owner(), new Routes[0]);
        Routes before = routesOf(byDataset, route.dataset());
        List<Route> routes = new ArrayList<>();
        if (before != null) {
            routes.addAll(before.routes());
        }
        routes.add(route);
        index.put(route.owner(), with(byDataset, before, Routes.of(route.dataset(), routes)));
        activeRoutes++;
    }

    private void removeRoute(Route route) {
        Routes[] byDataset = index.get(route.owner());
        Routes before = routesOf(byDataset, route.dataset());
        if (before == null) {
            return;
        }
        List<Route> routes = new ArrayList<>(before.routes());
        if (routes.removeIf(r -> r.jobId() == route.jobId())) {
            activeRoutes--;
        }
        Routes[] after = with(byDataset, before, routes.isEmpty() ? null : Routes.of(route.dataset(), routes));
        if (after.length == 0) {
            index.remove(route.owner());
        } else {
            index.put(route.owner(), after);
        }
    }

    /** {@code byDataset} with {@code before} (null: none) replaced by {@code after} (null: removed). */
    private static Routes[] with(Routes[] byDataset, Routes before, Routes after) {
        List<Routes> list = new ArrayList<>(List.of(byDataset));
        list.remove(before);
        if (after != null) {
            list.add(after);
        }
        return list.toArray(Routes[]::new);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }
}
