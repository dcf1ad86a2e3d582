package dev.nostrgate.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A real WebSocket client (Java-WebSocket) for relay tests: every message the relay sends is queued in order and
 * read with a deadline. Strict on purpose: {@link #next} returns the very next message, so tests see order.
 */
public final class TestClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(15);

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final WebSocketClient socket;
    private volatile int closeCode = -1;
    private volatile String closeReason = "";
    private volatile CountDownLatch readGate = new CountDownLatch(0);
    private final AtomicInteger pings = new AtomicInteger();
    private String challenge;

    private TestClient(URI uri, Map<String, String> headers) {
        socket = new WebSocketClient(uri, headers) {
            @Override
            public void onOpen(ServerHandshake handshake) {
            }

            @Override
            public void onMessage(String message) {
                try {
                    readGate.await(); // a test can hold the reader to play a slow client
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                messages.add(message);
            }

            @Override
            public void onMessage(ByteBuffer bytes) {
                messages.add("<binary " + bytes.remaining() + " bytes>");
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
                closeCode = code;
                closeReason = reason;
                closed.countDown();
            }

            @Override
            public void onError(Exception ex) {
            }

            @Override
            public void onWebsocketPing(org.java_websocket.WebSocket conn, Framedata frame) {
                pings.incrementAndGet();
                super.onWebsocketPing(conn, frame); // answers with a pong
            }
        };
        socket.setConnectionLostTimeout(0);
    }

    /** Connects and reads the relay's first message, the NIP-42 challenge. */
    public static TestClient connect(String url) {
        return connect(url, Map.of());
    }

    public static TestClient connect(String url, Map<String, String> headers) {
        TestClient client = new TestClient(URI.create(url), headers);
        try {
            if (!client.socket.connectBlocking(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("could not connect to " + url + " (close " + client.closeCode + " " + client.closeReason + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        RelayMessage first = client.next();
        assertThat(first).as("the relay's first message").isInstanceOf(RelayMessage.AuthChallenge.class);
        client.challenge = ((RelayMessage.AuthChallenge) first).challenge();
        return client;
    }

    public String challenge() {
        return challenge;
    }

    public void send(String text) {
        socket.send(text);
    }

    public void send(ClientMessage message) {
        socket.send(message.toJson());
    }

    /** Sends part of a text message as one frame; the first call starts it, the one with last=true ends it. */
    public void sendFragment(String part, boolean last) {
        socket.sendFragmentedFrame(org.java_websocket.enums.Opcode.TEXT,
                ByteBuffer.wrap(part.getBytes(java.nio.charset.StandardCharsets.UTF_8)), last);
    }

    /** Sends bytes as one binary message. */
    public void sendBinary(byte[] bytes) {
        socket.send(bytes);
    }

    /** Sends a frame built by hand (binary, or text with any bytes). */
    public void sendFrame(Framedata frame) {
        socket.sendFrame(frame);
    }

    /** The next message as text. */
    public String nextText() {
        try {
            String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                fail("no message from the relay within " + WAIT + (isClosed() ? " (closed " + closeCode + " "
                        + closeReason + ")" : ""));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message, parsed strictly. */
    public RelayMessage next() {
        String text = nextText();
        try {
            return RelayMessages.parse(text);
        } catch (MalformedMessageException e) {
            throw new AssertionError("the relay sent a malformed message: " + e.getMessage() + ": " + text);
        }
    }

    /** The next message, which must be of this type. */
    public <T extends RelayMessage> T next(Class<T> type) {
        RelayMessage message = next();
        assertThat(message).isInstanceOf(type);
        return type.cast(message);
    }

    /** True if a message is waiting now. */
    public boolean hasMessage() {
        return !messages.isEmpty();
    }

    /** Publishes and returns the OK, which must be the next message. */
    public RelayMessage.Ok publish(Event event) {
        send(new ClientMessage.Publish(event));
        RelayMessage.Ok ok = next(RelayMessage.Ok.class);
        assertThat(ok.eventId()).isEqualTo(event.id());
        return ok;
    }

    /** Sends a REQ and reads the stored events up to EOSE (which must come). */
    public List<Event> req(String subscriptionId, Filter... filters) {
        send(new ClientMessage.Req(subscriptionId, filters));
        return storedUntilEose(subscriptionId);
    }

    /** Reads EVENTs of the subscription until its EOSE. */
    public List<Event> storedUntilEose(String subscriptionId) {
        List<Event> events = new ArrayList<>();
        while (true) {
            RelayMessage message = next();
            if (message instanceof RelayMessage.Eose eose) {
                assertThat(eose.subscriptionId()).isEqualTo(subscriptionId);
                return events;
            }
            assertThat(message).as("before EOSE").isInstanceOf(RelayMessage.EventMessage.class);
            RelayMessage.EventMessage event = (RelayMessage.EventMessage) message;
            assertThat(event.subscriptionId()).isEqualTo(subscriptionId);
            events.add(event.event());
        }
    }

    /** Stops reading (messages pile up in the socket) until {@link #resumeReading}. */
    public void holdReading() {
        readGate = new CountDownLatch(1);
    }

    public void resumeReading() {
        readGate.countDown();
    }

    /** Waits until the relay has pinged this client the given number of times in all. */
    public void awaitPings(int count) {
        await().atMost(WAIT).until(() -> pings.get() >= count);
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Waits for the connection to close; returns the close code. */
    public int awaitClose() {
        try {
            if (!closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the relay did not close the connection within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        readGate.countDown();
        try {
            socket.closeBlocking();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
