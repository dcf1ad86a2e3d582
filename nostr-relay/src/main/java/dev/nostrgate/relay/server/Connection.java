package dev.nostrgate.relay.server;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.ingest.RateLimiter;
import dev.nostrgate.relay.subscription.Subscription;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's WebSocket, as the stages see it: an id (which picks its ingest lane), a way to send, and the state
 * of the conversation.
 *
 * <p>Thread rules: {@link #send} and {@link #subscriptions()} are safe from any thread. The NIP-42 state and the
 * rate limiter belong to the connection's ingest lane, the only thread that reads or changes them (a connection's
 * messages are always handled on one lane), so they need no locks.
 */
public final class Connection {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long id;
    private final Channel channel;
    private final InetAddress address;
    private final String host;
    private final String challenge;
    private final Outbound outbound;
    private final RateLimiter rateLimiter;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger framesInFlight = new AtomicInteger();
    private final Set<PubKey> authenticated = new HashSet<>(); // ingest lane only
    private volatile boolean open = true;

    Connection(long id, Channel channel, InetAddress address, String host, Outbound outbound,
               RateLimiter rateLimiter) {
        this.id = id;
        this.channel = channel;
        this.address = address;
        this.host = host;
        this.outbound = outbound;
        this.rateLimiter = rateLimiter;
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.challenge = Hex.encode(random);
    }

    /** Unique in this process; picks the ingest lane. */
    public long id() {
        return id;
    }

    public InetAddress address() {
        return address;
    }

    /** The {@code Host} header of the upgrade request (NIP-42 relay URL check when no public URL is set). */
    public String host() {
        return host;
    }

    /** The NIP-42 challenge of this connection. */
    public String challenge() {
        return challenge;
    }

    /** Queues a message for the client; any thread. False if dropped (closing, or the client is too slow). */
    public boolean send(String json) {
        return outbound.send(json);
    }

    /** Queues a message for the client; any thread. */
    public boolean send(RelayMessage message) {
        return outbound.send(message.toJson());
    }

    public Outbound outbound() {
        return outbound;
    }

    /** Open subscriptions by id. */
    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** The connection's token bucket (ingest lane only). */
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** NIP-42: pubkeys this connection has authenticated as (ingest lane only). */
    public Set<PubKey> authenticated() {
        return authenticated;
    }

    public boolean isOpen() {
        return open && !outbound.isClosing();
    }

    /** Sends what is queued, then a close frame. */
    public void close(WebSocketCloseStatus status, String reason) {
        outbound.closeAfterPending(status, reason);
    }

    Channel channel() {
        return channel;
    }

    AtomicInteger framesInFlight() {
        return framesInFlight;
    }

    void markClosed() {
        open = false;
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + address.getHostAddress();
    }
}
