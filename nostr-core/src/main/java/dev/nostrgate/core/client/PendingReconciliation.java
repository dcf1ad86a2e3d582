package dev.nostrgate.core.client;

import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.negentropy.NegentropyClient;
import dev.nostrgate.core.negentropy.NegentropyStorage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One NIP-77 reconciliation in progress, on the client's thread: the negentropy client, what it has found so far and
 * what went over the wire. Lives from the call to its last {@code NEG-MSG}, its {@code NEG-ERR}, a timeout, the
 * connection's loss or the client's close; it is never sent again on a new connection, since the relay forgot its
 * half of the state with the old one.
 */
final class PendingReconciliation {
    final String subscriptionId;
    final CompletableFuture<Reconciliation> result;
    private final Filter filter;
    private final NegentropyClient negentropy;
    private final List<EventId> have = new ArrayList<>();
    private final List<EventId> need = new ArrayList<>();
    private int roundTrips;
    private long bytesSent;
    private long bytesReceived;
    /** NEG-OPEN went out on the current connection (else it waits for the connection to open). */
    boolean opened;
    ScheduledFuture<?> deadline;

    PendingReconciliation(String subscriptionId, Filter filter, NegentropyStorage local, int frameSizeLimit,
                          CompletableFuture<Reconciliation> result) {
        this.subscriptionId = subscriptionId;
        this.filter = filter;
        this.negentropy = new NegentropyClient(local, frameSizeLimit);
        this.result = result;
    }

    /** The NEG-OPEN message, counted as sent. */
    String open() {
        return sent(new ClientMessage.NegOpen(subscriptionId, filter, negentropy.initiateHex()).toJson());
    }

    /**
     * Reads the relay's NEG-MSG (its whole text counted as received): the next NEG-MSG to send, or empty when the
     * sets are reconciled.
     *
     * @throws dev.nostrgate.core.negentropy.NegentropyException if the reply cannot be read
     */
    Optional<String> reply(String messageHex, int textBytes) {
        roundTrips++;
        bytesReceived += textBytes;
        return negentropy.reconcileHex(messageHex, id -> have.add(new EventId(id)), id -> need.add(new EventId(id)))
                .map(next -> sent(new ClientMessage.NegMsg(subscriptionId, next).toJson()));
    }

    /** The NEG-CLOSE message, counted as sent. */
    String close() {
        return sent(new ClientMessage.NegClose(subscriptionId).toJson());
    }

    Reconciliation outcome() {
        return new Reconciliation(have, need, roundTrips, bytesSent, bytesReceived);
    }

    int roundTrips() {
        return roundTrips;
    }

    private String sent(String json) {
        bytesSent += json.getBytes(StandardCharsets.UTF_8).length; // a filter's tag values may be any text
        return json;
    }
}
