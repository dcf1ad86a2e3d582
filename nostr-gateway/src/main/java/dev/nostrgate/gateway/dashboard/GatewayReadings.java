package dev.nostrgate.gateway.dashboard;

import dev.nostrgate.gateway.GatewayState;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.connector.CatchUpReport;
import dev.nostrgate.gateway.connector.RelayStatus;
import dev.nostrgate.gateway.fleet.Lease;
import dev.nostrgate.gateway.fleet.LeaseKeeper;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.gateway.stats.StatsRepository;
import dev.nostrgate.gateway.stats.StatsUnavailableException;
import dev.nostrgate.gateway.topology.RelayTopology;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.amqp.AmqpException;

/**
 * Reads the gateway's own parts for the {@link OverviewSampler}: the registry, each relay's connector state and
 * counters, the rollup table's all-time totals (one grouped query), the dead-letter queue and the lag timer. A part
 * that cannot answer (database or RabbitMQ down) is read as unknown rather than failing the whole sample.
 */
public class GatewayReadings implements Supplier<OverviewReadings> {
    private final GatewayState state;
    private final RelayRegistry registry;
    private final RelayLifecycle lifecycle;
    private final RelayCounters counters;
    private final StatsRepository stats;
    private final RelayTopology topology;
    private final Supplier<LeaseKeeper.Fleet> fleet;
    private final Duration leaseTtl;
    private final Clock clock;

    public GatewayReadings(GatewayState state, RelayRegistry registry, RelayLifecycle lifecycle,
                           RelayCounters counters, StatsRepository stats, RelayTopology topology,
                           Supplier<LeaseKeeper.Fleet> fleet, Duration leaseTtl, Clock clock) {
        this.fleet = fleet;
        this.leaseTtl = leaseTtl;
        this.state = state;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.counters = counters;
        this.stats = stats;
        this.topology = topology;
        this.clock = clock;
    }

    @Override
    public OverviewReadings get() {
        Instant at = clock.instant(); // before reading: what changed before asOf is in the sample
        Map<UUID, Long> stored = storedTotals();
        LeaseKeeper.Fleet instances = fleet.get();
        boolean shared = instances.instances().size() > 1; // owner and instances only say something then
        List<OverviewReadings.Relay> relays = new ArrayList<>();
        for (RegisteredRelay relay : registry.all()) {
            RelayStatus status = lifecycle.status(relay.id());
            relays.add(new OverviewReadings.Relay(relay.id(), relay.url().toString(), relay.name(),
                    status.state().apiName(), relay.paused(), status.lastError().orElse(null),
                    status.catchUp().map(CatchUpReport::method).orElse(null), status.queueDepth(),
                    counters.totals(relay.id()).received(), stored == null ? -1 : stored.getOrDefault(relay.id(), 0L),
                    shared ? status.owner().orElse(null) : null));
        }
        return new OverviewReadings(at, state.phase().headerValue(), relays, deadLetters(), lag(),
                shared ? instances(instances) : null);
    }

    private List<Overview.Instance> instances(LeaseKeeper.Fleet fleet) {
        Map<String, Long> owned = fleet.leases().values().stream().map(Lease::owner).flatMap(Optional::stream)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return fleet.instances().stream().map(instance -> new Overview.Instance(instance.id(),
                owned.getOrDefault(instance.id(), 0L).intValue(), instance.expiresAt().minus(leaseTtl))).toList();
    }

    private Map<UUID, Long> storedTotals() {
        try {
            return stats.storedTotals();
        } catch (StatsUnavailableException e) {
            return null;
        }
    }

    private long deadLetters() {
        try {
            return topology.deadLetterDepth();
        } catch (AmqpException e) {
            return -1;
        }
    }

    private Overview.Lag lag() {
        HistogramSnapshot snapshot = counters.lag().takeSnapshot();
        double p50 = 0;
        double p99 = 0;
        for (ValueAtPercentile value : snapshot.percentileValues()) {
            if (value.percentile() == 0.5) {
                p50 = value.value(TimeUnit.MILLISECONDS);
            } else if (value.percentile() == 0.99) {
                p99 = value.value(TimeUnit.MILLISECONDS);
            }
        }
        return new Overview.Lag(p50, p99, snapshot.max(TimeUnit.MILLISECONDS), snapshot.count());
    }
}
