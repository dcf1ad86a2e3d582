package dev.nostrgate.relay.ingest;

import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.relay.subscription.Subscriber;
import java.util.Set;

/**
 * One client's conversation as the ingest stage sees it: the id that picks its lane, its NIP-42 state, its rate
 * limit, and (as a {@link Subscriber}) where answers go. The server's connection implements it, so the ingest stage
 * never reaches back into the server that feeds it.
 *
 * <p>Thread rules: {@link #rateLimiter()} and {@link #authenticated()} belong to the connection's ingest lane, the
 * only thread that reads or changes them; the rest is safe from any thread.
 */
public interface ClientSession extends Subscriber {
    /** Unique in this process; picks the ingest lane. */
    long id();

    /** False once the client is gone or is being closed: its messages are dropped unread. */
    boolean isOpen();

    /** The {@code Host} header of the upgrade request (NIP-42 relay URL check when no public URL is set). */
    String host();

    /** The NIP-42 challenge sent to this client. */
    String challenge();

    /** The client's token bucket (ingest lane only). */
    RateLimiter rateLimiter();

    /** NIP-42: pubkeys this client has authenticated as (ingest lane only). */
    Set<PubKey> authenticated();
}
