package dev.nostrgate.gateway;

import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Where the gateway stands as a whole, shown by the readiness probe and the {@code X-Gateway-Status} header: HTTP
 * serves at once; re-binding relays and catching up run in the background.
 */
@Component
public class GatewayState {
    public enum Phase {
        /** Re-declaring topology and starting consumers and connectors for the registered relays. */
        STARTING,
        /** Everything is started; some connectors have not reached EOSE yet. */
        CATCHING_UP,
        /** Every active connector is live. */
        READY;

        public String headerValue() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);

    public Phase phase() {
        return phase.get();
    }

    public void set(Phase value) {
        phase.set(value);
    }
}
