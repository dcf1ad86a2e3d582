package dev.nostrgate.gateway.connector;

import java.util.Optional;

/**
 * A relay's live state as the REST API shows it.
 *
 * @param lastError the last connection or subscription error, if any
 * @param queueDepth messages waiting in the relay's RabbitMQ queue (-1 if unknown)
 * @param owner the gateway instance that runs the relay, if one does
 * @param catchUp how its connector last caught up, at its start or its latest reconnect (known to the instance that
 *     runs it)
 */
public record RelayStatus(ConnectorState state, Optional<String> lastError, long queueDepth, Optional<String> owner,
                          Optional<CatchUpReport> catchUp) {

    public RelayStatus(ConnectorState state, Optional<String> lastError, long queueDepth) {
        this(state, lastError, queueDepth, Optional.empty(), Optional.empty());
    }

    public RelayStatus ownedBy(String instance) {
        return new RelayStatus(state, lastError, queueDepth, Optional.of(instance), catchUp);
    }

    public RelayStatus withQueueDepth(long depth) {
        return new RelayStatus(state, lastError, depth, owner, catchUp);
    }
}
