package dev.nostrgate.relay.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP on the relay's port, before the WebSocket upgrade: the NIP-11 document on {@code GET /} with
 * {@code Accept: application/nostr+json} (CORS headers on every answer, {@code OPTIONS} preflight included),
 * {@code /metrics} in the Prometheus text format, {@code /health/live} and {@code /health/ready}. An upgrade request
 * is not ours and is passed on, retained; anything else gets 404 with a short text. Removed from the pipeline once
 * the connection becomes a WebSocket.
 */
@ChannelHandler.Sharable
final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);
    static final String NOSTR_JSON = "application/nostr+json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final RelayInfo relayInfo;
    private final PrometheusMeterRegistry registry;
    private final Readiness readiness;

    HttpRoutes(RelayInfo relayInfo, PrometheusMeterRegistry registry, Readiness readiness) {
        this.relayInfo = relayInfo;
        this.registry = registry;
        this.readiness = readiness;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (isWebSocketUpgrade(request.headers())) {
            ctx.fireChannelRead(request.retain());
            return;
        }
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, TEXT, "malformed HTTP request\n");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            respond(ctx, request, HttpResponseStatus.NO_CONTENT, null, "");
            return;
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "only GET, HEAD and OPTIONS\n");
            return;
        }
        switch (path) {
            case "/" -> {
                if (acceptsNostrJson(request.headers())) {
                    respond(ctx, request, HttpResponseStatus.OK, NOSTR_JSON, relayInfo.json());
                } else {
                    respond(ctx, request, HttpResponseStatus.OK, TEXT, "This is a Nostr relay. Connect with a "
                            + "Nostr client over WebSocket; ask for " + NOSTR_JSON + " for its NIP-11 document.\n");
                }
            }
            case "/metrics" -> respond(ctx, request, HttpResponseStatus.OK, PROMETHEUS_TEXT, registry.scrape());
            case "/health/live" -> respond(ctx, request, HttpResponseStatus.OK, TEXT, "live\n");
            case "/health/ready" -> {
                Optional<String> problem = readiness.problem();
                if (problem.isEmpty()) {
                    respond(ctx, request, HttpResponseStatus.OK, TEXT, "ready\n");
                } else {
                    respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
                            "not ready: " + problem.get() + "\n");
                }
            }
            default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, TEXT, "not found: this is a Nostr relay "
                    + "(WebSocket and NIP-11 at /, also /metrics, /health/live, /health/ready)\n");
        }
    }

    static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** True if the Accept header lists application/nostr+json (perhaps among others, perhaps with parameters). */
    static boolean acceptsNostrJson(HttpHeaders headers) {
        for (String accept : headers.getAll(HttpHeaderNames.ACCEPT)) {
            for (String type : accept.split(",")) {
                int parameters = type.indexOf(';');
                String bare = (parameters >= 0 ? type.substring(0, parameters) : type).trim();
                if (bare.toLowerCase(Locale.ROOT).equals(NOSTR_JSON)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String contentType, String body) {
        ByteBuf content = request.method().equals(HttpMethod.HEAD) || body.isEmpty()
                ? ctx.alloc().buffer(0)
                : ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
        HttpHeaders headers = response.headers();
        // NIP-11: relays must accept CORS requests; harmless on the other routes.
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS");
        if (contentType != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            headers.set(HttpHeaderNames.ALLOW, "GET, HEAD, OPTIONS");
        }
        int length = request.method().equals(HttpMethod.HEAD) ? ByteBufUtil.utf8Bytes(body) : content.readableBytes();
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        boolean keepAlive = HttpUtil.isKeepAlive(request) && status.code() < 400;
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
