package dev.nostrgate.relay.server;

import dev.nostrgate.core.message.RelayMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What waits to be sent to one connection: a bounded queue in front of Netty's own outbound buffer.
 *
 * <p>Any thread may {@link #send}: the message is encoded to UTF-8 there (not on the event loop) and queued; the
 * event loop drains the queue into the channel only while the channel is writable (Netty's write-buffer water
 * marks), so Netty's buffer stays small and our queue holds the backlog, counted in bytes. When the backlog passes
 * the limit the client is reading too slowly: the backlog is dropped, the client gets a {@code NOTICE} saying so
 * and a close frame (1008), and the connection ends. Memory per connection is thus bounded by the limit plus the
 * high water mark.
 *
 * <p>Producers that can wait (a stored query streaming its results) ask {@link #whenDrained} to be called back
 * instead of filling the queue: backpressure where it is possible, a hard limit where it is not (live events).
 */
public final class Outbound {
    /** How long a closing connection waits for the client's close frame before the socket is cut. */
    static final long CLOSE_GRACE_MILLIS = 5_000;

    private static final byte[] END_OF_MESSAGE = {']'};

    private record CloseRequest(WebSocketCloseStatus status, String reason, long graceMillis) {
    }

    private final Channel channel;
    private final long maxQueuedBytes;
    private final Runnable onTooSlow;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Queue<Runnable> drainedCallbacks = new ConcurrentLinkedQueue<>();
    /** No new messages are taken. */
    private volatile boolean closing;
    /** The close frame is written (or the channel is gone): whatever is still queued is garbage. */
    private volatile boolean terminated;

    Outbound(Channel channel, long maxQueuedBytes, Runnable onTooSlow) {
        this.channel = channel;
        this.maxQueuedBytes = maxQueuedBytes;
        this.onTooSlow = onTooSlow;
    }

    /**
     * Queues a text message; any thread.
     *
     * @return false if it was dropped: the connection is closing, or this message made the client too slow
     */
    public boolean send(String message) {
        if (closing) {
            return false;
        }
        return enqueue(ByteBufUtil.writeUtf8(channel.alloc(), message));
    }

    /**
     * Queues {@code <prefix><event><]>}, the EVENT message of a subscription, around an event's JSON already
     * encoded once for all its subscribers: the arrays are wrapped, not copied, so a fan-out to many connections
     * costs no encoding per connection. Any thread; the arrays must not change afterwards.
     *
     * @param prefix {@code ["EVENT","<subscription id>",} in UTF-8
     * @return false if it was dropped, as for {@link #send(String)}
     */
    public boolean sendEvent(byte[] prefix, byte[] eventUtf8) {
        if (closing) {
            return false;
        }
        return enqueue(Unpooled.wrappedBuffer(prefix, eventUtf8, END_OF_MESSAGE));
    }

    private boolean enqueue(ByteBuf bytes) {
        int size = bytes.readableBytes();
        if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
            queuedBytes.addAndGet(-size);
            bytes.release();
            tooSlow();
            return false;
        }
        queue.offer(bytes);
        if (terminated) { // raced with the end of the connection: nobody else will release it
            discardQueued();
            return false;
        }
        scheduleDrain();
        return true;
    }

    /** Bytes queued and not yet handed to Netty. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** True if no more messages are taken. */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Runs the callback (on the event loop) once the queue has been handed to Netty completely, or at once if the
     * connection is closing. For producers that pace themselves.
     */
    public void whenDrained(Runnable callback) {
        drainedCallbacks.offer(callback);
        scheduleDrain();
    }

    /** Sends what is queued, then a close frame; takes nothing more. Any thread. */
    public void closeAfterPending(WebSocketCloseStatus status, String reason) {
        closeAfterPending(status, reason, CLOSE_GRACE_MILLIS);
    }

    /** As {@link #closeAfterPending(WebSocketCloseStatus, String)}, cutting the socket after the given grace. */
    public void closeAfterPending(WebSocketCloseStatus status, String reason, long graceMillis) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        queue.offer(new CloseRequest(status, reason, graceMillis));
        scheduleDrain();
    }

    /** The backlog is over the limit: drop it, tell the client why, and close. */
    private void tooSlow() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        onTooSlow.run();
        channel.eventLoop().execute(() -> {
            terminated = true;
            discardQueued();
            String notice = new RelayMessage.Notice("rate-limited: you are reading too slowly (more than "
                    + maxQueuedBytes + " bytes waiting for you); closing the connection").toJson();
            channel.write(new TextWebSocketFrame(notice));
            writeClose(WebSocketCloseStatus.POLICY_VIOLATION, "too slow: reading less than the relay sends",
                    CLOSE_GRACE_MILLIS);
            runDrainedCallbacks();
        });
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /** Event loop only: hands queued messages to Netty while the channel is writable. */
    void drain() {
        drainScheduled.set(false);
        if (terminated || !channel.isActive()) {
            terminated = true;
            discardQueued();
            runDrainedCallbacks();
            return;
        }
        boolean wrote = false;
        while (channel.isWritable()) {
            Object next = queue.poll();
            if (next == null) {
                break;
            }
            if (next instanceof CloseRequest close) {
                terminated = true;
                discardQueued();
                writeClose(close.status(), close.reason(), close.graceMillis());
                runDrainedCallbacks();
                return;
            }
            ByteBuf bytes = (ByteBuf) next;
            queuedBytes.addAndGet(-bytes.readableBytes());
            channel.write(new TextWebSocketFrame(bytes), channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        if (queue.isEmpty() || closing) {
            runDrainedCallbacks();
        }
        // Not writable with a backlog: channelWritabilityChanged drains again.
    }

    /** Event loop only: the channel is gone. */
    void channelClosed() {
        closing = true;
        terminated = true;
        discardQueued();
        runDrainedCallbacks();
    }

    private void writeClose(WebSocketCloseStatus status, String reason, long graceMillis) {
        channel.writeAndFlush(new CloseWebSocketFrame(status, reason));
        // The client answers with its own close frame, upon which the protocol handler closes the socket;
        // a client that does not is cut off after a grace period.
        var cut = channel.eventLoop().schedule(() -> {
            channel.close();
        }, graceMillis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener((ChannelFutureListener) f -> cut.cancel(false));
    }

    private void discardQueued() {
        for (Object next; (next = queue.poll()) != null; ) {
            if (next instanceof ByteBuf bytes) {
                queuedBytes.addAndGet(-bytes.readableBytes());
                bytes.release();
            }
        }
    }

    private void runDrainedCallbacks() {
        for (Runnable callback; (callback = drainedCallbacks.poll()) != null; ) {
            callback.run();
        }
    }
}
