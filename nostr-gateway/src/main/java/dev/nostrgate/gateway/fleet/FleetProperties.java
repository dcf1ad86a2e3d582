package dev.nostrgate.gateway.fleet;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How gateway instances share the registered relays ({@code gateway.fleet.*}).
 *
 * @param instanceId this instance's name in the lease table; empty = the host name (a Kubernetes pod's name) plus a
 *     random suffix, so that a restarted instance never mistakes its predecessor's leases for its own
 * @param leaseTtl how long a lease holds without renewal: after a crash, the others take its relays this long after
 *     its last renewal (plus one renew interval)
 * @param renewInterval how often an instance renews its leases, takes or gives back relays, and acts on changes
 *     made through another instance's REST API
 * @param startParallelism how many relays an instance starts (topology, consumer, connector) at once
 */
@Validated
@ConfigurationProperties("gateway.fleet")
public record FleetProperties(
        @DefaultValue("") String instanceId,
        @DefaultValue("15s") @NotNull Duration leaseTtl,
        @DefaultValue("2s") @NotNull Duration renewInterval,
        @DefaultValue("16") @Positive int startParallelism) {

    /** Checked by Boot's validation at startup. */
    @AssertTrue(message = "gateway.fleet.renew-interval must be at most a third of gateway.fleet.lease-ttl, so that "
            + "a lease survives a missed renewal or two")
    public boolean isRenewalFrequentEnough() {
        return renewInterval.multipliedBy(3).compareTo(leaseTtl) <= 0 && !renewInterval.isZero();
    }

    /** The configured id, or the host name with a random suffix. */
    public String resolvedInstanceId() {
        if (!instanceId.isBlank()) {
            return instanceId;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "gateway";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
