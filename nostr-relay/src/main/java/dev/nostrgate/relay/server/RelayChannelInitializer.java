package dev.nostrgate.relay.server;

import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.ingest.IngestLanes;
import dev.nostrgate.relay.ingest.Ingester;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The relay's protocol stack, one handler per concern. After the handshake, Netty puts the frame decoder and
 * encoder where the HTTP codec was, the decompressor after the compression handler, and {@link HttpRoutes} leaves.
 */
final class RelayChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** Plain HTTP requests here are small GETs; the limit only stops abuse. */
    private static final int MAX_HTTP_REQUEST_BYTES = 16 * 1024;
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final RelayConfig config;
    private final Connections connections;
    private final HttpRoutes routes;
    private final IngestLanes lanes;
    private final Ingester ingester;
    private final WebSocketServerProtocolConfig webSocket;

    RelayChannelInitializer(RelayConfig config, Connections connections, RelayInfo relayInfo,
                            PrometheusMeterRegistry registry, Readiness readiness, IngestLanes lanes,
                            Ingester ingester) {
        this.config = config;
        this.connections = connections;
        this.routes = new HttpRoutes(relayInfo, registry, readiness);
        this.lanes = lanes;
        this.ingester = ingester;
        int maxMessageBytes = config.limits().maxMessageBytes();
        this.webSocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true) // any path upgrades, as with most relays; HttpRoutes answers plain GETs
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxMessageBytes)
                        .allowExtensions(true)
                        // FrameErrorHandler answers with a NOTICE and the reason before closing.
                        .closeOnProtocolViolation(false)
                        // UTF-8 is checked by the message parser on the ingest lane, which answers invalid
                        // UTF-8 with a NOTICE and keeps the connection (see the README).
                        .withUTF8Validator(false)
                        .build())
                .build();
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        int maxMessageBytes = config.limits().maxMessageBytes();
        ChannelPipeline pipeline = channel.pipeline();
        long idle = config.server().idleTimeout().toMillis();
        pipeline.addLast(new IdleStateHandler(idle / 2, 0, 0, TimeUnit.MILLISECONDS)); // pings, dead peers
        pipeline.addLast(new HttpServerCodec());
        pipeline.addLast(new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
        pipeline.addLast(new ConnectionLimitHandler(connections, config.limits().maxConnectionsPerIp(),
                config.proxies()));
        pipeline.addLast(routes);                                             // NIP-11, /metrics, /health
        if (config.server().compression()) {
            pipeline.addLast(new WebSocketServerCompressionHandler(maxMessageBytes)); // permessage-deflate
        }
        pipeline.addLast(new FrameErrorHandler(maxMessageBytes));             // unreadable frame: NOTICE, close
        pipeline.addLast(new WebSocketServerProtocolHandler(webSocket));      // handshake, ping/pong, close
        pipeline.addLast(new WebSocketFrameAggregator(maxMessageBytes));      // fragments -> one message
        pipeline.addLast(new NostrFrameHandler(connections, lanes, ingester, maxMessageBytes)); // -> ingest lane
    }
}
