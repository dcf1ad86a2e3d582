package dev.nostrgate.core.client;

import dev.nostrgate.core.event.EventId;
import java.util.List;

/**
 * The outcome of a NIP-77 reconciliation with a relay ({@link RelayClient#reconcile}).
 *
 * @param have ids of events the local side holds and the relay lacks, in the order they were found
 * @param need ids of events the relay holds and the local side lacks: what to fetch ({@code REQ} by ids)
 * @param roundTrips how many {@code NEG-MSG} replies the relay sent (1 when the sets were equal from the start)
 * @param bytesSent the text of every {@code NEG-OPEN}, {@code NEG-MSG} and {@code NEG-CLOSE} sent, in bytes
 * @param bytesReceived the text of every {@code NEG-MSG} received, in bytes
 */
public record Reconciliation(List<EventId> have, List<EventId> need, int roundTrips, long bytesSent,
                             long bytesReceived) {
    public Reconciliation {
        have = List.copyOf(have);
        need = List.copyOf(need);
    }
}
