package dev.nostrgate.relay.server;

import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.ingest.IngestLanes;
import dev.nostrgate.relay.ingest.Ingester;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: whole WebSocket messages in, onto the connection's ingest lane. It never parses JSON or touches
 * the database. On the handshake it registers the connection and sends the NIP-42 challenge; a binary message gets
 * a {@code NOTICE} (Nostr speaks text); a message assembled from fragments past the size limit gets a
 * {@code NOTICE} and the connection goes on.
 *
 * <p>Idle connections: after half of {@code relay.idleTimeout} without reading anything the relay pings; a
 * connection from which nothing at all was read for the whole timeout (the ping unanswered) is closed.
 *
 * <p>Inbound backpressure: when a connection has {@link #PAUSE_AT} messages waiting on its lane, reading from its
 * socket stops until the lane has worked them down to {@link #RESUME_AT}, so a fast sender fills its own TCP
 * window, not the relay's memory.
 */
final class NostrFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(NostrFrameHandler.class);
    static final int PAUSE_AT = 64;
    static final int RESUME_AT = 16;

    private final Connections connections;
    private final IngestLanes lanes;
    private final Ingester ingester;
    private final int maxMessageBytes;
    private Connection connection;

    NostrFrameHandler(Connections connections, IngestLanes lanes, Ingester ingester, int maxMessageBytes) {
        this.connections = connections;
        this.lanes = lanes;
        this.ingester = ingester;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            ctx.pipeline().remove(HttpRoutes.class);
            InetAddress address = ctx.channel().attr(ClientAddress.KEY).get(); // the client, behind a proxy too
            if (address == null) {
                address = ctx.channel().remoteAddress() instanceof InetSocketAddress remote
                        ? remote.getAddress()
                        : InetAddress.getLoopbackAddress();
            }
            String host = handshake.requestHeaders().get("Host", "");
            connection = connections.open(ctx.channel(), address, host);
            connection.send(new RelayMessage.AuthChallenge(connection.challenge()));
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (idle.isFirst() && connection != null) {
                ctx.writeAndFlush(new PingWebSocketFrame()); // half the idle timeout without a read: are you there?
            } else {
                // Nothing read for the whole timeout, the ping unanswered (or no upgrade at all): a dead peer.
                log.debug("closing idle {}", ctx.channel().remoteAddress());
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (connection == null) {
            return;
        }
        if (frame instanceof TextWebSocketFrame) {
            byte[] message = ByteBufUtil.getBytes(frame.content());
            if (connection.framesInFlight().incrementAndGet() >= PAUSE_AT) {
                ctx.channel().config().setAutoRead(false);
            }
            Connection target = connection;
            lanes.execute(target, () -> {
                try {
                    ingester.handle(target, message);
                } finally {
                    if (target.framesInFlight().decrementAndGet() == RESUME_AT && connections.reading()) {
                        target.channel().eventLoop().execute(() -> target.channel().config().setAutoRead(true));
                    }
                }
            });
        } else if (frame instanceof BinaryWebSocketFrame) {
            connection.send(new RelayMessage.Notice("invalid: binary messages are not supported; send JSON as text"));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (connection != null && ctx.channel().isWritable()) {
            connection.outbound().drain();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            connections.closed(connection);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException && connection != null) {
            // A message of several fragments went past the limit; the aggregator dropped it and reads on.
            log.debug("{}: message over {} bytes", connection, maxMessageBytes);
            connection.send(new RelayMessage.Notice("invalid: message too big: at most " + maxMessageBytes
                    + " bytes (max_message_length)"));
            return;
        }
        log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
