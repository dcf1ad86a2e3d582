package dev.nostrgate.relay.server;

import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.ingest.RateLimiter;
import dev.nostrgate.relay.metrics.RelayMetrics;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The open connections: WebSocket connections by id, and TCP connections counted per IP address for the
 * {@code limits.maxConnectionsPerIp} limit. Thread-safe.
 */
public final class Connections {
    static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("nostr.connection");

    private final RelayConfig.Limits limits;
    private final RelayMetrics metrics;
    private final Consumer<Connection> onClosed;
    private final Map<Long, Connection> open = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean reading = true;

    /**
     * @param onClosed told (on the event loop) when a WebSocket connection ends, to release its subscriptions
     */
    public Connections(RelayConfig.Limits limits, RelayMetrics metrics, Consumer<Connection> onClosed) {
        this.limits = limits;
        this.metrics = metrics;
        this.onClosed = onClosed;
        metrics.gauge("nostr.relay.connections", "open WebSocket connections", open::size);
    }

    /** Counts a new TCP connection from the address; false (and not counted) if the address has too many. */
    boolean admit(InetAddress address) {
        boolean[] admitted = {false};
        perAddress.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limits.maxConnectionsPerIp()) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    /** Uncounts a TCP connection that {@link #admit} counted. */
    void release(InetAddress address) {
        perAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** Registers a WebSocket connection whose handshake just completed (event loop). */
    Connection open(Channel channel, InetAddress address, String host) {
        long id = ids.incrementAndGet();
        Outbound outbound = new Outbound(channel, limits.maxOutboundBytes(), metrics::slowConsumerClosed);
        Connection connection = new Connection(id, channel, address, host, outbound,
                new RateLimiter(limits.eventsPerSecond(), limits.eventBurst()));
        channel.attr(CONNECTION).set(connection);
        open.put(id, connection);
        if (!reading) {
            channel.config().setAutoRead(false);
        }
        return connection;
    }

    /** The WebSocket connection on the channel, if its handshake has completed. */
    static Connection of(Channel channel) {
        return channel.attr(CONNECTION).get();
    }

    /** Unregisters a connection whose channel closed (event loop). */
    void closed(Connection connection) {
        if (open.remove(connection.id()) != null) {
            connection.markClosed();
            connection.outbound().channelClosed();
            onClosed.accept(connection);
        }
    }

    /** Stops reading from every connection (shutting down: what was read is finished, nothing more is taken). */
    public void stopReading() {
        reading = false;
        for (Connection connection : open.values()) {
            Channel channel = connection.channel();
            channel.eventLoop().execute(() -> channel.config().setAutoRead(false));
        }
    }

    /** False once the relay stops reading (shutting down). */
    boolean reading() {
        return reading;
    }

    /**
     * Closes every connection after what is queued for it, with the status and reason, and waits until they have
     * closed (at most the timeout; the rest are cut).
     */
    public void closeAll(WebSocketCloseStatus status, String reason, Duration timeout) {
        List<Channel> channels = new ArrayList<>();
        for (Connection connection : open.values()) {
            channels.add(connection.channel());
            connection.close(status, reason);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Channel channel : channels) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !channel.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                channel.close();
            }
        }
    }

    /** The open WebSocket connections (a live view). */
    public Collection<Connection> all() {
        return open.values();
    }

    public int size() {
        return open.size();
    }
}
