package dev.nostrgate.benchmarks.fleet;

import dev.nostrgate.benchmarks.gateway.SyntheticRelayServer;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;

/**
 * Many synthetic relays behind one WebSocket server, so that a thousand of them cost one port and one selector
 * thread: relay {@code i} is {@code ws://127.0.0.1:<port>/r/<i>}. The first {@code down} of them refuse the
 * handshake (relays that are down); the others answer every REQ with EOSE at once (no stored events: the benchmark
 * measures connecting, not catching up) and then get a trickle of fresh signed notes, {@code eventsPerSecond} over
 * all subscriptions in turn, so that every consumer has some work. Filters are ignored.
 */
final class ManyUpstreams extends SyntheticRelayServer {
    private static final Pattern PATH = Pattern.compile("/r/([0-9]{1,9})/?");

    private final int relays;
    private final int down;
    private final double eventsPerSecond;
    private final SecKey author = SecKey.generate();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "upstream-trickle");
        thread.setDaemon(true);
        return thread;
    });
    private int next;

    ManyUpstreams(int relays, int down, double eventsPerSecond) {
        if (relays < 1 || down < 0 || down > relays) {
            throw new IllegalArgumentException("need 1 or more relays and 0 to " + relays + " down; got " + relays
                    + " and " + down);
        }
        this.relays = relays;
        this.down = down;
        this.eventsPerSecond = eventsPerSecond;
        setConnectionLostTimeout(0); // the gateway pings; a thousand pings from here would only add noise
    }

    /** Starts the server and the trickle; returns when the port is bound. */
    void open() throws InterruptedException {
        start();
        awaitStarted();
        if (eventsPerSecond > 0) {
            long periodMicros = Math.max(1, (long) (1_000_000 / eventsPerSecond));
            trickle.scheduleAtFixedRate(this::publishOne, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    void close() throws InterruptedException {
        trickle.shutdownNow();
        stop(1_000);
    }

    URI url(int relay) {
        return URI.create("ws://127.0.0.1:" + getPort() + "/r/" + relay);
    }

    long handshakesRefused() {
        return refused.get();
    }

    long eventsSent() {
        return sent.get();
    }

    /** The relay a request path names, if it is one of ours. */
    static OptionalInt relayOf(String path) {
        Matcher matcher = PATH.matcher(path == null ? "" : path);
        return matcher.matches() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket connection, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        OptionalInt relay = relayOf(request.getResourceDescriptor());
        if (relay.isEmpty() || relay.getAsInt() >= relays) {
            refused.incrementAndGet();
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "no relay at " + request
                    .getResourceDescriptor());
        }
        if (relay.getAsInt() < down) {
            refused.incrementAndGet();
            throw new InvalidDataException(CloseFrame.TRY_AGAIN_LATER, "relay " + relay.getAsInt() + " is down");
        }
        return super.onWebsocketHandshakeReceivedAsServer(connection, draft, request);
    }

    @Override
    protected void answer(WebSocket connection, String subscriptionId) {
        connection.send(new RelayMessage.Eose(subscriptionId).toJson());
    }

    /**
     * Signs a note and sends it on the next subscription in turn (the trickle's and the lone events' turns are one);
     * the note, or empty if no subscription is open.
     */
    synchronized Optional<Event> publishOne() {
        List<Map.Entry<WebSocket, String>> open = new ArrayList<>(subscriptions().entrySet());
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Map.Entry<WebSocket, String> target = open.get(Math.floorMod(next++, open.size()));
        long count = sent.incrementAndGet();
        Event event = new UnsignedEvent(author.pubKey(), System.currentTimeMillis() / 1000, 1,
                List.of(Tag.of("t", "fleetbench")), "fleet benchmark trickle note " + count).sign(author);
        if (!target.getKey().isOpen()) {
            return Optional.empty();
        }
        target.getKey().send(RelayMessages.encodeEvent(target.getValue(), event.toJson()));
        return Optional.of(event);
    }
}
