package dev.nostrgate.core.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection attempt, on the shared event loops of {@link ClientRuntime}. Its handlers do nothing
 * there but hand each event, tagged with this attempt, to the session's executor, where an event from a connection
 * that is no longer the current one is ignored.
 *
 * <p>Backpressure: each text message takes a place in the {@link DeliveryWindow} before it is handed over, and
 * gives it back when the listeners have run every callback it caused. With no place free the socket stops reading
 * (messages already read wait here, at most one read's worth), and the relay's TCP window fills, not memory.
 *
 * <p>Keep-alive: after {@code pingAfterIdle} with nothing read, a ping; if nothing (its pong included) comes within
 * {@code pongTimeout}, the connection is taken for dead and closed, and the session reconnects.
 */
final class RelaySocket {
    private static final Logger log = LoggerFactory.getLogger(RelaySocket.class);
    /** The largest message taken from a relay; a kind-3 contact list of thousands of entries is well below. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    static final int NORMAL_CLOSURE = 1000;
    static final int GOING_AWAY = 1001;
    private static final int ABNORMAL_CLOSURE = 1006;
    /** How long a closing handshake may take before the socket is simply closed. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final URI url;
    private final ClientSettings settings;
    private final RelaySession session;
    private final DeliveryWindow window;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile Channel channel;
    private volatile boolean opened;
    private volatile boolean aborted;
    private volatile Throwable error;
    private volatile int closeCode = ABNORMAL_CLOSURE;
    private volatile String closeReason = "";

    RelaySocket(ClientSettings settings, RelaySession session, DeliveryWindow window) {
        this.url = settings.url();
        this.settings = settings;
        this.session = session;
        this.window = window;
    }

    /**
     * Starts connecting and returns: the outcome comes to the session as {@code opened} or {@code lost}. The host
     * name is resolved here, on the session's (virtual) thread, so that a slow DNS never stalls a shared event loop.
     */
    void connect() {
        boolean tls = url.getScheme().toLowerCase(Locale.ROOT).equals("wss");
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        InetSocketAddress address = new InetSocketAddress(url.getHost(), port);
        if (address.isUnresolved()) {
            error = new java.net.UnknownHostException(url.getHost());
            report();
            return;
        }
        SSLEngine engine;
        try {
            engine = tls ? sslEngine(url.getHost(), port) : null;
        } catch (NoSuchAlgorithmException e) {
            error = e;
            report();
            return;
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url)
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .handleCloseFrames(false) // answered in Frames, which keeps the code and reason
                .dropPongFrames(true)
                .handshakeTimeoutMillis(settings.connectTimeout().toMillis())
                .build();
        Bootstrap bootstrap = new Bootstrap().group(ClientRuntime.shared().io()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline pipeline = ch.pipeline();
                        if (engine != null) {
                            pipeline.addLast(new SslHandler(engine));
                        }
                        pipeline.addLast(new HttpClientCodec(),
                                // the frame decoder goes here at the handshake: keep-alive sees every frame
                                new IdleStateHandler(settings.pingAfterIdle().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS),
                                new KeepAlive(),
                                new HttpObjectAggregator(65_536),
                                new WebSocketClientProtocolHandler(config),
                                new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                                new Frames());
                    }
                });
        bootstrap.connect(address).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                error = future.cause();
                report(); // never active, so no channelInactive
                return;
            }
            channel = future.channel();
            if (aborted) {
                channel.close();
            }
        });
    }

    /** wss://: the JDK's TLS, checking that the certificate names the host (as a browser does). */
    private static SSLEngine sslEngine(String host, int port) throws NoSuchAlgorithmException {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }

    boolean isOpen() {
        Channel current = channel;
        return opened && current != null && current.isActive();
    }

    /** Writes a text message; false if the connection is not open (its loss is on its way to the session). */
    boolean send(String text) {
        Channel current = channel;
        if (!opened || current == null || !current.isActive()) {
            return false;
        }
        current.writeAndFlush(new TextWebSocketFrame(text));
        return true;
    }

    /** Starts the closing handshake; the socket is closed when the relay answers, or after a short wait. */
    void close(int code, String reason) {
        Channel current = channel;
        if (current == null) {
            abort();
            return;
        }
        current.writeAndFlush(new CloseWebSocketFrame(code, reason));
        current.eventLoop().schedule(() -> current.close(), CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Ends the attempt without a closing handshake (it is stuck, or not open yet). */
    void abort() {
        aborted = true;
        Channel current = channel;
        if (current != null) {
            current.close();
        }
    }

    /** Completes when the connection is closed, however it ended. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** Tells the session, once, that this attempt is over. */
    private void report() {
        if (reported.compareAndSet(false, true)) {
            String problem = problem();
            session.execute(() -> session.lost(this, problem));
            closed.complete(null);
        }
    }

    private String problem() {
        Throwable cause = error;
        if (!opened) {
            return "could not connect: " + (cause != null ? describe(cause)
                    : aborted ? "aborted by the client" : "the connection closed during the handshake");
        }
        if (cause != null && closeCode == ABNORMAL_CLOSURE) {
            return "connection lost (" + describe(cause) + ")";
        }
        return "connection lost (" + closeCode + (closeReason.isBlank() ? "" : " " + closeReason) + ")";
    }

    private static String describe(Throwable e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    /** Pings a quiet relay; closes the connection when a ping goes unanswered. */
    private final class KeepAlive extends ChannelInboundHandlerAdapter {
        private boolean readSincePing = true;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            readSincePing = true;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof IdleStateEvent idle) || idle.state() != IdleState.READER_IDLE) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            if (!opened) {
                return; // the connect deadline covers the handshake
            }
            readSincePing = false;
            ctx.writeAndFlush(new PingWebSocketFrame());
            ctx.executor().schedule(() -> {
                if (!readSincePing && ctx.channel().isActive()) {
                    error = new java.io.IOException("no pong within " + settings.pongTimeout().toMillis() + " ms");
                    ctx.close();
                }
            }, settings.pongTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The frames of an open connection, and the end of it. */
    private final class Frames extends ChannelInboundHandlerAdapter {
        /** Read but not handed over: the window was full. At most what one read brought. */
        private final ArrayDeque<String> waiting = new ArrayDeque<>();
        private ChannelHandlerContext context;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                opened = true;
                session.execute(() -> session.opened(RelaySocket.this));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                switch (msg) {
                    case TextWebSocketFrame text -> {
                        waiting.add(text.text());
                        handOver();
                    }
                    case CloseWebSocketFrame close -> {
                        closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
                        closeReason = close.reasonText();
                        // answer the relay's close (RFC 6455 5.5.1), then close the socket
                        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? NORMAL_CLOSURE
                                : close.statusCode(), "")).addListener(ChannelFutureListener.CLOSE);
                    }
                    case BinaryWebSocketFrame binary -> log.debug("{}: ignoring a binary frame of {} bytes (Nostr "
                            + "is text)", url, binary.content().readableBytes());
                    default -> { } // ping (answered by the protocol handler), continuation (aggregated)
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** On the event loop: hands waiting messages to the session while the window has room. */
        private void handOver() {
            while (!waiting.isEmpty() && window.tryTake()) {
                String text = waiting.poll();
                boolean queued = session.execute(() -> {
                    try {
                        session.received(RelaySocket.this, text);
                    } finally {
                        session.afterDeliveries(window::release);
                    }
                });
                if (!queued) {
                    window.release(); // the client is closed
                }
            }
            Channel current = context.channel();
            if (waiting.isEmpty()) {
                if (!current.config().isAutoRead()) {
                    current.config().setAutoRead(true);
                }
            } else {
                current.config().setAutoRead(false);
                window.whenRoom(() -> current.eventLoop().execute(this::handOver));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            error = cause; // the close that follows says so
            log.debug("{}: {}", url, describe(cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            waiting.clear(); // the connection is gone; what it still held is dropped with it
            report();
            ctx.fireChannelInactive();
        }
    }
}
