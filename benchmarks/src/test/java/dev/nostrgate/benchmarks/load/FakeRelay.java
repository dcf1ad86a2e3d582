package dev.nostrgate.benchmarks.load;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny relay for the load generator's tests, on port 0 of 127.0.0.1: answers {@code OK} to every {@code EVENT}
 * and keeps it in memory (no signature check), answers a {@code REQ} with the stored matches (newest first, up to
 * each filter's limit) and {@code EOSE}, and sends each new event to the open subscriptions it matches. It can be
 * told to refuse every n-th event and to drop every n-th live delivery, so tests can check what is counted.
 */
final class FakeRelay implements AutoCloseable {
    /** Faults to inject: 0 = none. */
    record Faults(int refuseEveryNthEvent, int dropEveryNthDelivery) {
        static final Faults NONE = new Faults(0, 0);
    }

    private final Faults faults;
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final List<Event> stored = new ArrayList<>();
    private final Map<Channel, Map<String, List<Filter>>> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong eventsReceived = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final Channel server;

    private FakeRelay(Faults faults) throws InterruptedException {
        this.faults = faults;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                                new WebSocketServerProtocolHandler("/", null, false, 1 << 20),
                                new Handler());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static FakeRelay start() throws InterruptedException {
        return new FakeRelay(Faults.NONE);
    }

    static FakeRelay start(Faults faults) throws InterruptedException {
        return new FakeRelay(faults);
    }

    /** The address to give {@code --url}. */
    String url() {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort()).toString();
    }

    int storedEvents() {
        synchronized (stored) {
            return stored.size();
        }
    }

    /** WebSocket connections open now. */
    int openConnections() {
        return connections.get();
    }

    /** One per connection. */
    private final class Handler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private boolean open;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                open = true;
                connections.incrementAndGet();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ClientMessage message;
            try {
                message = ClientMessages.parse(frame.text());
            } catch (MalformedMessageException e) {
                send(ctx.channel(), new RelayMessage.Notice("invalid: " + e.getMessage()));
                return;
            }
            switch (message) {
                case ClientMessage.Publish publish -> publish(ctx.channel(), publish.event());
                case ClientMessage.Req req -> subscribe(ctx.channel(), req);
                case ClientMessage.Close close -> subscriptions.getOrDefault(ctx.channel(), Map.of())
                        .remove(close.subscriptionId());
                default -> send(ctx.channel(), new RelayMessage.Notice("unsupported: " + message.type()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            subscriptions.remove(ctx.channel());
            if (open) {
                connections.decrementAndGet();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void publish(Channel from, Event event) {
        long n = eventsReceived.incrementAndGet();
        if (faults.refuseEveryNthEvent() > 0 && n % faults.refuseEveryNthEvent() == 0) {
            send(from, RelayMessage.Ok.rejected(event.id(), ReasonPrefix.BLOCKED, "refused by the test"));
            return;
        }
        synchronized (stored) {
            stored.add(event);
        }
        send(from, RelayMessage.Ok.accepted(event.id()));
        subscriptions.forEach((channel, subs) -> subs.forEach((id, filters) -> {
            if (filters.stream().anyMatch(filter -> filter.matches(event))) {
                long delivery = deliveries.incrementAndGet();
                if (faults.dropEveryNthDelivery() == 0 || delivery % faults.dropEveryNthDelivery() != 0) {
                    send(channel, new RelayMessage.EventMessage(id, event));
                }
            }
        }));
    }

    private void subscribe(Channel channel, ClientMessage.Req req) {
        List<Event> snapshot;
        synchronized (stored) {
            snapshot = new ArrayList<>(stored);
        }
        snapshot.sort(Comparator.comparingLong(Event::createdAt).reversed());
        Map<String, Event> matches = new LinkedHashMap<>();
        for (Filter filter : req.filters()) {
            int limit = filter.limit().orElse(Integer.MAX_VALUE);
            snapshot.stream().filter(filter::matches).limit(limit).forEach(e -> matches.put(e.id().hex(), e));
        }
        matches.values().forEach(event -> send(channel, new RelayMessage.EventMessage(req.subscriptionId(), event)));
        subscriptions.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(req.subscriptionId(), req.filters());
        send(channel, new RelayMessage.Eose(req.subscriptionId()));
    }

    private static void send(Channel channel, RelayMessage message) {
        channel.writeAndFlush(new TextWebSocketFrame(RelayMessages.encode(message)));
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
