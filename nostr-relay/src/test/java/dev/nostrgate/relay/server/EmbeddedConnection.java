package dev.nostrgate.relay.server;

import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.metrics.RelayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** A {@link Connection} on Netty's EmbeddedChannel, for unit tests of what is sent to a client and in what order. */
public final class EmbeddedConnection {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Connection connection;
    private final RelayMetrics metrics = new RelayMetrics(new SimpleMeterRegistry());

    public EmbeddedConnection(long maxOutboundBytes) {
        RelayConfig.Limits limits = RelayConfig.DEFAULTS.limits().toBuilder().maxMessageBytes(1_024)
                .maxOutboundBytes(maxOutboundBytes).build();
        connection = new Connections(limits, metrics, closed -> { })
                .open(channel, InetAddress.getLoopbackAddress(), "localhost");
    }

    public Connection connection() {
        return connection;
    }

    public RelayMetrics metrics() {
        return metrics;
    }

    /** Runs the event loop's pending work, then returns every text message written, in order. */
    public List<String> sent() {
        channel.runPendingTasks();
        List<String> texts = new ArrayList<>();
        for (Object frame; (frame = channel.readOutbound()) != null; ) {
            if (frame instanceof TextWebSocketFrame text) {
                texts.add(text.text());
            } else if (frame instanceof CloseWebSocketFrame close) {
                texts.add("close " + close.statusCode() + " " + close.reasonText());
            }
            io.netty.util.ReferenceCountUtil.release(frame);
        }
        return texts;
    }
}
