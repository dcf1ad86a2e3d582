package dev.nostrgate.benchmarks.fleet;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * N synthetic upstream relays on one Netty server, relay {@code i} at {@code /r/<i>}. The ones marked down answer
 * the WebSocket upgrade with 503 (a relay that refuses). An up relay answers every REQ with one event of its own
 * for the current phase, then EOSE: once that event is stored, the relay was connected and its queue consumed.
 */
final class FleetUpstreams implements AutoCloseable {
    private static final AttributeKey<Integer> RELAY = AttributeKey.valueOf("relay");

    private final int relays;
    private final int down;
    private final String run;
    private final SecKey key = SecKey.generate();
    private final ConcurrentHashMap<Long, String> events = new ConcurrentHashMap<>();
    /** Per relay: the phase of its last REQ (0 = none yet). */
    private final AtomicIntegerArray subscribedInPhase;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private volatile int phase = 1;
    private Channel server;

    /**
     * @param down the first {@code down} relays refuse
     * @param run tags every event, so that a run counts only its own
     */
    FleetUpstreams(int relays, int down, String run) {
        this.relays = relays;
        this.down = down;
        this.run = run;
        this.subscribedInPhase = new AtomicIntegerArray(relays);
    }

    void start() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                                new RefuseDown(),
                                new WebSocketServerProtocolHandler("/r", null, false, 65_536, false, true),
                                new Frames());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    URI url(int relay) {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/r/" + relay);
    }

    boolean isDown(int relay) {
        return relay < down;
    }

    /** The tag value of the current phase's events. */
    String tag() {
        return run + "-" + phase;
    }

    /** From now on every REQ is answered with the next phase's events (the gateway restarts). */
    void nextPhase() {
        phase++;
    }

    /** Up relays whose REQ came in the current phase. */
    int subscribed() {
        int count = 0;
        for (int i = 0; i < relays; i++) {
            count += subscribedInPhase.get(i) == phase ? 1 : 0;
        }
        return count;
    }

    private String event(int relay, int inPhase) {
        return events.computeIfAbsent(((long) inPhase << 32) | relay, ignored -> {
            Event event = new UnsignedEvent(key.pubKey(), System.currentTimeMillis() / 1000, 1,
                    List.of(Tag.of("t", run + "-" + inPhase)), "fleet relay " + relay + " phase " + inPhase)
                    .sign(key);
            return event.toJson();
        });
    }

    private static int relayOf(String uri) {
        String path = URI.create(uri).getPath();
        return Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A down relay's upgrade gets 503; an up one goes on to the handshake, remembering which relay it is. */
    private final class RefuseDown extends SimpleChannelInboundHandler<FullHttpRequest> {
        RefuseDown() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            int relay;
            try {
                relay = relayOf(request.uri());
            } catch (RuntimeException e) {
                relay = -1;
            }
            if (relay < 0 || relay >= relays || isDown(relay)) {
                request.release();
                DefaultFullHttpResponse refused = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.EMPTY_BUFFER);
                refused.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(refused).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.channel().attr(RELAY).set(relay);
            ctx.fireChannelRead(request);
        }
    }

    /** REQ: this phase's event and EOSE; everything else is ignored. */
    private final class Frames extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ClientMessage message;
            try {
                message = ClientMessages.parse(frame.text());
            } catch (MalformedMessageException e) {
                return;
            }
            if (message instanceof ClientMessage.Req req) {
                int relay = ctx.channel().attr(RELAY).get();
                int now = phase;
                ctx.write(new TextWebSocketFrame(RelayMessages.encodeEvent(req.subscriptionId(), event(relay, now))));
                ctx.writeAndFlush(new TextWebSocketFrame(new RelayMessage.Eose(req.subscriptionId()).toJson()));
                subscribedInPhase.set(relay, now);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a benchmark relay has nothing to say about a client's error
        }
    }
}
