package dev.nostrgate.cli.transfer;

import picocli.CommandLine.Option;

/** Where a relay's database is, for the commands that read or write it directly. */
final class DatabaseOptions {
    @Option(names = "--db", required = true, paramLabel = "JDBC_URL", description = "the relay's database, e.g. "
            + "jdbc:postgresql://127.0.0.1:5432/nostr (add &currentSchema=S for a schema)")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "postgres",
            description = "database user (default: ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:NOSTR_DB_PASSWORD:-}",
            description = "database password (default: $NOSTR_DB_PASSWORD, else empty)")
    String password;

    DatabaseStore open() {
        return DatabaseStore.open(url, user, password);
    }
}
