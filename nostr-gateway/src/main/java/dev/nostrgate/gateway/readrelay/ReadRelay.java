package dev.nostrgate.gateway.readrelay;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.gateway.config.GatewayProperties;
import dev.nostrgate.gateway.sink.LiveFeed;
import dev.nostrgate.relay.Relay;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.Database;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The aggregate served over NIP-01 (REQ, COUNT; every EVENT refused with {@code restricted:}): nostr-relay's server
 * in read-only mode on the gateway's own {@link Database}, on {@code gateway.relay-bind:gateway.relay-port}. What
 * the sinks store reaches its live subscribers through {@link #stored}. Started with the context (the relay logs
 * its ready line), stopped gracefully before the database closes.
 */
@Component
public class ReadRelay implements LiveFeed, AutoCloseable {
    private final Relay relay;

    public ReadRelay(Database database, GatewayProperties properties) {
        this.relay = Relay.start(config(properties), Clock.systemUTC(), database);
    }

    /** The relay's defaults, read-only, with its own NIP-11 text and the gateway's port, bind, limit and budget. */
    static RelayConfig config(GatewayProperties properties) {
        RelayConfig d = RelayConfig.DEFAULTS; // first: RelayConfig.Info alone would initialize RelayConfig too late
        GatewayProperties.Database store = properties.database();
        RelayConfig.Info info = new RelayConfig.Info("nostrgate gateway", "Events aggregated from many relays by a "
                + "nostrgate gateway. Read-only: REQ and COUNT; EVENT is refused.", "", "", "");
        return d.withServer(d.server().withBind(properties.relayBind()).withPort(properties.relayPort())
                        .withReadOnly(true))
                .withInfo(info)
                .withLimits(d.limits().toBuilder().maxLimit(store.maxLimit()).build())
                .withQuery(new RelayConfig.Query(d.query().threads(), store.queryTimeout(),
                        // no recent events in memory: the gateway's sinks, not this relay, write the store
                        d.query().expirationSweepEvery(), 0));
    }

    /** The port the relay listens on (the one chosen when {@code gateway.relay-port} is 0). */
    public int port() {
        return relay.port();
    }

    public RelayConfig config() {
        return relay.config();
    }

    @Override
    public void stored(List<Event> events) {
        relay.committed(events);
    }

    /** Graceful: open subscriptions get what is queued and a close frame 1001. */
    @Override
    public void close() {
        relay.close();
    }
}
