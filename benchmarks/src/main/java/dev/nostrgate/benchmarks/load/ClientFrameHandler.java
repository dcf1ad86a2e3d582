package dev.nostrgate.benchmarks.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The last handler of a client connection: completes the connection's future when the handshake is done, then
 * hands text frames and pongs to the scenario's listener. Pings a connection that has sent nothing for a while
 * (the {@code IdleStateHandler} before it says when). Close frames and pings from the relay are answered by the
 * protocol handler before it.
 */
final class ClientFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final int index;
    private final RelayListener listener;
    private final CompletableFuture<RelayConnection> opened;
    private RelayConnection connection;

    ClientFrameHandler(int index, RelayListener listener, CompletableFuture<RelayConnection> opened) {
        this.index = index;
        this.listener = listener;
        this.opened = opened;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            connection = new RelayConnection(ctx.channel(), index);
            opened.complete(connection);
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE && connection != null) {
            ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (connection == null) {
            return; // nothing arrives before the handshake completes; ignore rather than guess
        }
        if (frame instanceof TextWebSocketFrame text) {
            listener.onText(connection, text.text());
        } else if (frame instanceof PongWebSocketFrame) {
            listener.onPong(connection);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection == null) {
            opened.completeExceptionally(new IOException("closed before the WebSocket handshake completed"));
        } else {
            listener.onClosed(connection);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A refused handshake, a reset or a protocol error: the connection is lost; scenarios count that.
        opened.completeExceptionally(cause);
        ctx.close();
    }
}
