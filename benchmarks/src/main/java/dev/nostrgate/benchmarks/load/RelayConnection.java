package dev.nostrgate.benchmarks.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/** One open WebSocket connection to the relay, after its handshake. Sends never block: Netty queues them. */
final class RelayConnection {
    private final Channel channel;
    private final int index;

    RelayConnection(Channel channel, int index) {
        this.channel = channel;
        this.index = index;
    }

    /** The number of this connection within its scenario, from 0. */
    int index() {
        return index;
    }

    /** Sends a text message. */
    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    /** Sends a text message already encoded as UTF-8 (pre-encoded events: no copy on our side). */
    void send(byte[] utf8) {
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
    }

    /** The thread that runs this connection's listener; tasks given to it run between its frames. */
    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Sends a close frame, then closes the socket. */
    void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Completes when the socket is closed. */
    io.netty.channel.ChannelFuture closeFuture() {
        return channel.closeFuture();
    }
}
