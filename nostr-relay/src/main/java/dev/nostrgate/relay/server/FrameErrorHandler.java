package dev.nostrgate.relay.server;

import dev.nostrgate.core.message.RelayMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a client why its WebSocket stream could not be read, instead of closing silently. Sits right after the
 * frame decoder and the decompressor (which the handshake inserts before it), so it sees their failures first: a
 * frame larger than {@code limits.maxMessageBytes} (which the decoder rejects from its header, before reading the
 * payload), a frame that breaks the protocol, or a message that inflates past the limit. The stream cannot be
 * read any further after such a failure, so the client gets a {@code NOTICE} with the reason, then a close frame
 * with the matching code (1009 for too big) and the same reason, and the socket is closed shortly after.
 *
 * <p>Netty's decoder is configured not to close by itself ({@code closeOnProtocolViolation(false)}), and the
 * exception is not passed on, because the protocol handler's answer to any exception is an immediate close.
 */
final class FrameErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameErrorHandler.class);

    /** Long enough for the client to read the NOTICE and close frame before the socket closes. */
    private static final long CORRUPT_CLOSE_GRACE_MILLIS = 1_000;

    private final int maxMessageBytes;

    FrameErrorHandler(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Connection connection = Connections.of(ctx.channel());
        if (!(cause instanceof CodecException) || connection == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        WebSocketCloseStatus status;
        String reason;
        if (cause instanceof CorruptedWebSocketFrameException corrupt
                && corrupt.closeStatus().equals(WebSocketCloseStatus.MESSAGE_TOO_BIG)) {
            status = WebSocketCloseStatus.MESSAGE_TOO_BIG;
            reason = "message too big: at most " + maxMessageBytes + " bytes (max_message_length)";
        } else if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            status = corrupt.closeStatus();
            reason = "unreadable WebSocket frame: " + cause.getMessage();
        } else if (String.valueOf(cause.getMessage()).contains("maximum size")) {
            status = WebSocketCloseStatus.MESSAGE_TOO_BIG;
            reason = "message too big once decompressed: at most " + maxMessageBytes + " bytes (max_message_length)";
        } else {
            status = WebSocketCloseStatus.PROTOCOL_ERROR;
            reason = "unreadable WebSocket data: " + cause.getMessage();
        }
        log.debug("{}: {}", connection, reason);
        connection.send(new RelayMessage.Notice("invalid: " + reason + "; closing the connection"));
        // A close reason has at most 123 bytes (RFC 6455 5.5: control frame payload 125, 2 of them the code).
        // The decoder reads nothing more, so the client's close frame will not be seen: a short grace instead.
        connection.outbound().closeAfterPending(status, reason.length() > 120 ? reason.substring(0, 120) : reason,
                CORRUPT_CLOSE_GRACE_MILLIS);
    }
}
