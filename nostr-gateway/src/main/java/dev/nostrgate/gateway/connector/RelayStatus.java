package dev.nostrgate.gateway.connector;

import java.util.Optional;

/**
 * A relay's live state as the REST API shows it.
 *
 * @param lastError the last connection or subscription error, if any
 * @param queueDepth messages waiting in the relay's RabbitMQ queue (-1 if unknown)
 */
public record RelayStatus(ConnectorState state, Optional<String> lastError, long queueDepth) {
}
