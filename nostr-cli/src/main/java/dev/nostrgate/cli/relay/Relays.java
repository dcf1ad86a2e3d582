package dev.nostrgate.cli.relay;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.core.client.RelayClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Connecting to a relay for one command: no reconnects (a command that lost its relay says so and stops). */
public final class Relays {
    /** How long a connection or one answer (OK, EOSE, COUNT) may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Relays() {
    }

    /** A connected client; the caller closes it. */
    public static RelayClient connect(String url) {
        RelayClient client;
        try {
            client = RelayClient.builder().url(url).noReconnect().connectTimeout(TIMEOUT).requestTimeout(TIMEOUT)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CliException("not a relay URL: " + url + " (" + e.getMessage() + ")");
        }
        try {
            await(client.connect(), "connect to " + url);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The future's value, or a one-line failure naming what was being done. */
    public static <T> T await(Future<T> future, String doing) {
        try {
            return future.get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CliException("could not " + doing + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new CliException("could not " + doing + " within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while trying to " + doing);
        }
    }
}
