package dev.nostrgate.relay.server;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.ingest.ClientSession;
import dev.nostrgate.relay.ingest.RateLimiter;
import dev.nostrgate.relay.subscription.NegentropySessions;
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
 * One client's WebSocket: an id (which picks its ingest lane), a way to send, and the state of the conversation.
 * The later stages see it only through what they need: {@link ClientSession} (ingest) and, through that, the
 * subscription stage's {@code Subscriber}; so they depend on no server class.
 *
 * <p>Thread rules: {@link #send} and {@link #subscriptions()} are safe from any thread. The NIP-42 state and the
 * rate limiter belong to the connection's ingest lane, the only thread that reads or changes them (a connection's
 * messages are always handled on one lane), so they need no locks.
 */
public final class Connection implements ClientSession {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long id;
    private final Channel channel;
    private final InetAddress address;
    private final String host;
    private final String challenge;
    private final Outbound outbound;
    private final RateLimiter rateLimiter;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final NegentropySessions negentropySessions = new NegentropySessions();
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

    @Override
    public long id() {
        return id;
    }

    public InetAddress address() {
        return address;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String challenge() {
        return challenge;
    }

    /** Queues a message for the client; any thread. False if dropped (closing, or the client is too slow). */
    public boolean send(String json) {
        return outbound.send(json);
    }

    @Override
    public boolean send(RelayMessage message) {
        return outbound.send(message.toJson());
    }

    @Override
    public boolean sendEvent(byte[] prefix, byte[] eventUtf8) {
        return outbound.sendEvent(prefix, eventUtf8);
    }

    @Override
    public long queuedBytes() {
        return outbound.queuedBytes();
    }

    @Override
    public void whenDrained(Runnable callback) {
        outbound.whenDrained(callback);
    }

    Outbound outbound() {
        return outbound;
    }

    @Override
    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    @Override
    public NegentropySessions negentropySessions() {
        return negentropySessions;
    }

    @Override
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    @Override
    public Set<PubKey> authenticated() {
        return authenticated;
    }

    @Override
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
