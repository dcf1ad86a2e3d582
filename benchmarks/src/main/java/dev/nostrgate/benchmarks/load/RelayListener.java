package dev.nostrgate.benchmarks.load;

/**
 * What a scenario does with one connection's traffic. Every call runs on the connection's event loop, one at a
 * time, so a listener keeps its per-connection state in plain fields; state shared between connections must be
 * thread-safe. A listener must not block: it runs where the frames of other connections are read.
 */
interface RelayListener {
    /** A text frame from the relay (a whole message: fragments are joined before). */
    void onText(RelayConnection connection, String text);

    /** A pong, the answer to one of our pings. */
    default void onPong(RelayConnection connection) {
    }

    /** The connection closed after its handshake: by the relay, by an error, or by us. */
    default void onClosed(RelayConnection connection) {
    }
}
