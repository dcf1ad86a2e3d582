package dev.nostrgate.relay.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code limits.maxConnectionsPerIp}: counts the TCP connection when it opens and uncounts it when it closes; a
 * connection over the limit gets {@code 429 Too Many Requests} with the reason for its first request (a client
 * learns why, which a bare reset would not tell it), then is closed.
 */
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private final Connections connections;
    private final int limit;
    private InetAddress address;
    private boolean admitted;

    ConnectionLimitHandler(Connections connections, int limit) {
        this.connections = connections;
        this.limit = limit;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            address = remote.getAddress();
            admitted = connections.admit(address);
        } else {
            admitted = true; // not an IP connection (an embedded test channel): nothing to count
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (admitted || !(msg instanceof HttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        byte[] body = ("too many connections from your address (at most " + limit + "); close some first\n")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.TOO_MANY_REQUESTS, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted && address != null) {
            connections.release(address);
        }
        ctx.fireChannelInactive();
    }
}
