package dev.nostrgate.cli.transfer;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where export reads and import writes: a relay over its WebSocket, or the relay's database directly. */
final class Endpoint {
    @Option(names = "--relay", paramLabel = "URL", description = "a relay's URL (ws:// or wss://)")
    String relay;

    @ArgGroup(exclusive = false)
    DatabaseOptions database;
}
