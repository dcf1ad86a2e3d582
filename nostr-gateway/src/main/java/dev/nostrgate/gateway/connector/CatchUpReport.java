package dev.nostrgate.gateway.connector;

import java.util.Optional;

/**
 * How a connector last caught up with its relay, as the REST API shows it: when it started, or after its latest
 * reconnect, whichever came last. The counts are that catch-up's alone; they do not accumulate over reconnects.
 * After a reconnect the client resumes the subscription where it left off (a since catch-up); with a relay that
 * supports NIP-77 the connector also reconciles the window below that point, and the report then says
 * {@code negentropy} with the reconciliation's counts once it has finished.
 *
 * @param method {@code negentropy} (NIP-77 reconciliation, then only the missing ids fetched) or {@code since}
 *     (everything since the cursor minus the overlap asked for again)
 * @param fetched events received to catch up: with negentropy the missing ones fetched by id, with since every
 *     stored event the relay sent before its EOSE
 * @param skipped with negentropy, the events in the window the gateway already held (reconciled, not downloaded);
 *     0 with since, which skips nothing
 * @param fallback why negentropy was not used although the relay advertises it (its NEG-ERR, a timeout, ...), if so
 */
public record CatchUpReport(String method, long fetched, long skipped, Optional<String> fallback) {
    public static final String NEGENTROPY = "negentropy";
    public static final String SINCE = "since";
}
