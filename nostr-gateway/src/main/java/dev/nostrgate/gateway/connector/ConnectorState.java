package dev.nostrgate.gateway.connector;

/** Where a relay's upstream connection stands. */
public enum ConnectorState {
    /** Opening the WebSocket. */
    CONNECTING,
    /**
     * Subscribed; receiving stored events (since the cursor, or since the newest received after a reconnect) before
     * the relay's EOSE, until they are all confirmed by the broker.
     */
    CATCHING_UP,
    /** After EOSE: receiving events as they are published. */
    LIVE,
    /** Disconnected; waiting before the next attempt. */
    BACKOFF,
    /** Stopped by the operator (PATCH paused=true). */
    PAUSED,
    /** Stopped for good until the operator changes something (e.g. the relay refused the subscription). */
    FAILED;

    /** The lowercase name used in the REST API. */
    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The state an {@link #apiName()} names, if any. */
    public static java.util.Optional<ConnectorState> ofApiName(String name) {
        for (ConnectorState state : values()) {
            if (state.apiName().equals(name)) {
                return java.util.Optional.of(state);
            }
        }
        return java.util.Optional.empty();
    }
}
