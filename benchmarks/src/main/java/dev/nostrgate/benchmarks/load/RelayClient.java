package dev.nostrgate.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * WebSocket connections to one relay, on a few Netty event loops shared by all of them ({@code load-io-N}): ten
 * thousand idle sockets cost ten thousand small pipelines, not ten thousand threads.
 *
 * <p>The pipeline per connection reads as the protocol stack: HTTP for the upgrade, the WebSocket handshake (which
 * then swaps HTTP for frames, answers pings and close frames), fragments joined into whole messages, an optional
 * pinger for quiet connections, and the scenario's listener. No permessage-deflate is offered.
 */
final class RelayClient implements AutoCloseable {
    /** The largest message accepted from the relay (a query answer carries events of up to a few hundred KB). */
    static final int MAX_MESSAGE_BYTES = 4 << 20;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final URI url;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final WebSocketClientProtocolConfig protocol;

    RelayClient(URI url, int threads) {
        this.url = url;
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("load-io", true));
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis());
        this.protocol = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url)
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis())
                .dropPongFrames(false) // the idle scenario counts them
                .build();
    }

    URI url() {
        return url;
    }

    /**
     * Opens one connection; the future completes when its handshake is done, or fails with the cause. The listener
     * sees the connection's frames from then on. With a ping interval, a connection that has sent nothing for
     * that long sends a ping.
     */
    CompletableFuture<RelayConnection> connect(int index, RelayListener listener, Optional<Duration> pingEvery) {
        CompletableFuture<RelayConnection> opened = new CompletableFuture<>();
        int port = url.getPort() > 0 ? url.getPort() : 80;
        bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                        new WebSocketClientProtocolHandler(protocol),        // handshake, pong, close
                        new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));    // fragments -> one message
                pingEvery.ifPresent(every -> ch.pipeline().addLast(
                        new IdleStateHandler(0, every.toMillis(), 0, TimeUnit.MILLISECONDS)));
                ch.pipeline().addLast(new ClientFrameHandler(index, listener, opened));
            }
        }).connect(url.getHost(), port).addListener(connected -> {
            if (!connected.isSuccess()) {
                opened.completeExceptionally(connected.cause());
            }
        });
        return opened;
    }

    /** The connections of a scenario, opened; those that failed, counted by reason. */
    record Opened(List<RelayConnection> connections, SortedMap<String, Long> failures, Latency handshakes) {
        long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Opens {@code count} connections at most {@code perSecond} a second and waits until each is open or failed,
     * or the deadline passes (those still pending are then counted as failed and closed when they open).
     */
    Opened openAll(String label, int count, double perSecond, IntFunction<RelayListener> listeners,
            Optional<Duration> pingEvery, long deadlineNanos, Progress progress) {
        AtomicReferenceArray<RelayConnection> open = new AtomicReferenceArray<>(count);
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        AtomicInteger established = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicBoolean abandoned = new AtomicBoolean();
        Latency handshakes = new Latency();
        long start = System.nanoTime();
        int launched = 0;
        progress.restart();
        while (launched < count && System.nanoTime() < deadlineNanos) {
            long due = Math.min(count, 1 + (long) ((System.nanoTime() - start) / 1e9 * perSecond));
            for (; launched < due; launched++) {
                int index = launched;
                long begun = System.nanoTime();
                connect(index, listeners.apply(index), pingEvery).whenComplete((connection, error) -> {
                    if (error == null) {
                        if (abandoned.get()) {
                            connection.close();
                            return;
                        }
                        handshakes.recordNanos(System.nanoTime() - begun);
                        open.set(index, connection);
                        established.incrementAndGet();
                    } else {
                        failures.computeIfAbsent(reason(error), r -> new LongAdder()).increment();
                        failed.incrementAndGet();
                    }
                });
            }
            int sofar = launched;
            progress.tick(() -> String.format("%s: connecting %,d / %,d (%,d open, %,d failed)", label, sofar,
                    count, established.get(), failed.get()));
            LockSupport.parkNanos(PACE_NANOS);
        }
        int total = launched;
        long settle = Math.max(deadlineNanos, System.nanoTime())
                + CONNECT_TIMEOUT.plus(HANDSHAKE_TIMEOUT).toNanos();
        progress.awaitUntil(() -> established.get() + failed.get() >= total, settle,
                () -> String.format("%s: waiting for handshakes (%,d open, %,d failed, %,d pending)", label,
                        established.get(), failed.get(), total - established.get() - failed.get()));
        abandoned.set(true);
        List<RelayConnection> connections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (open.get(i) != null) {
                connections.add(open.get(i));
            }
        }
        SortedMap<String, Long> byReason = new TreeMap<>();
        failures.forEach((reason, n) -> byReason.put(reason, n.sum()));
        long unfinished = count - connections.size() - byReason.values().stream().mapToLong(Long::longValue).sum();
        if (unfinished > 0) {
            byReason.merge("not open before --duration", unfinished, Long::sum);
        }
        return new Opened(List.copyOf(connections), byReason, handshakes);
    }

    /** Closes the connections (a close frame each) and waits, up to the timeout in all, until they are closed. */
    static void closeAll(List<RelayConnection> connections, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        connections.forEach(RelayConnection::close);
        for (RelayConnection connection : connections) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !connection.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                return; // the group's shutdown closes what is left
            }
        }
    }

    /** A short, stable name for why a connection failed, to count failures by. */
    static String reason(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ConnectException) {
            return "connect: " + firstLine(cause.getMessage()).replaceFirst(":.*", "");
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return "connect: timed out";
        }
        if (cause instanceof WebSocketClientHandshakeException) {
            return "handshake: " + firstLine(cause.getMessage());
        }
        return cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 80) : line;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
