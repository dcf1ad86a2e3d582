package dev.nostrgate.gateway.fleet;

import java.time.Instant;

/** A gateway instance that renewed its heartbeat lately: live until {@code expiresAt}. */
public record Instance(String id, Instant startedAt, Instant expiresAt) {
}
