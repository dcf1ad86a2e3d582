package dev.nostrgate.relay.server;

import dev.nostrgate.relay.config.RelayConfig;
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
 * {@code limits.maxConnectionsPerIp}: counts the TCP connection against its client's address and uncounts it when
 * it closes; a connection over the limit gets {@code 429 Too Many Requests} with the reason for its first request
 * (a client learns why, which a bare reset would not tell it), then is closed.
 *
 * <p>The client is the TCP peer, counted as soon as it connects; or, for a trusted proxy
 * ({@code relay.trustedProxies}), the address its first request's {@code X-Forwarded-For} names (see
 * {@link ClientAddress}), counted when that request arrives. Either way the address is left on the channel for the
 * {@link Connection}.
 */
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private final Connections connections;
    private final int limit;
    private final RelayConfig.Proxies proxies;
    private InetAddress address;
    /** A trusted proxy's connection: counted once its first request says for whom. */
    private boolean awaitingRequest;
    private boolean admitted;

    ConnectionLimitHandler(Connections connections, int limit, RelayConfig.Proxies proxies) {
        this.connections = connections;
        this.limit = limit;
        this.proxies = proxies;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            address = remote.getAddress();
            if (proxies.trusts(address)) {
                awaitingRequest = true;
            } else {
                admit(ctx, address);
            }
        } else {
            admitted = true; // not an IP connection (an embedded test channel): nothing to count
        }
        ctx.fireChannelActive();
    }

    private void admit(ChannelHandlerContext ctx, InetAddress client) {
        address = client;
        admitted = connections.admit(client);
        ctx.channel().attr(ClientAddress.KEY).set(client);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingRequest && msg instanceof HttpRequest request) {
            awaitingRequest = false;
            admit(ctx, ClientAddress.of(address, request.headers(), proxies));
        }
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
