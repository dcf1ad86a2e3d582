package dev.nostrgate.gateway;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The gateway's phase as a health contributor ({@code gatewayState}), part of the readiness group
 * ({@code /actuator/health/readiness}, see application.properties):
 * <ul>
 *   <li>{@code STARTING}: OUT_OF_SERVICE. Registered relays are being re-bound (topology, consumers, connectors);
 *       the REST API answers, but a change made now could race the re-binding, and nothing is being aggregated
 *       yet, so a load balancer should not send traffic here.</li>
 *   <li>{@code CATCHING_UP} and {@code READY}: UP. Every relay is bound and the aggregate is served; catching up
 *       (relays still sending stored events before their EOSE) is normal work, possibly for hours after adding a
 *       big relay, and must not take the gateway out of a Service. The phase is in the details and in the
 *       {@code X-Gateway-Status} header.</li>
 * </ul>
 * Liveness does not include it: a gateway that is still starting is alive.
 */
@Component
public class GatewayStateHealthIndicator implements HealthIndicator {
    private final GatewayState state;

    public GatewayStateHealthIndicator(GatewayState state) {
        this.state = state;
    }

    @Override
    public Health health() {
        GatewayState.Phase phase = state.phase();
        Health.Builder health = phase == GatewayState.Phase.STARTING ? Health.outOfService() : Health.up();
        return health.withDetail("phase", phase.headerValue()).build();
    }
}
