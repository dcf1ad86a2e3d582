package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.fleet.Instance;
import dev.nostrgate.gateway.fleet.Lease;
import dev.nostrgate.gateway.fleet.LeaseKeeper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The gateway instances sharing the relays, as this instance saw them at its last lease renewal. */
@RestController
@RequestMapping(path = "/api/instances", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "instances", description = "The gateway instances that share the registered relays")
public class InstanceController {
    private final LeaseKeeper keeper;
    private final RelayLifecycle lifecycle;

    public InstanceController(LeaseKeeper keeper, RelayLifecycle lifecycle) {
        this.keeper = keeper;
        this.lifecycle = lifecycle;
    }

    @GetMapping
    @Operation(summary = "The live instances and how many relays each runs",
            description = "Read at this instance's last lease renewal (every gateway.fleet.renew-interval). "
                    + "relayStates counts every registered relay by connector state: this instance's own as they "
                    + "are now, the others' as their owners last published them; a summary that costs nothing to "
                    + "poll, however many relays there are.")
    public Page list() {
        return Page.of(keeper.fleet(), keeper.instanceId(), lifecycle);
    }

    @Schema(name = "InstanceList")
    public record Page(@Schema(description = "the instance that answered") String self, List<View> instances,
                       @Schema(description = "relays no live instance holds right now") long unownedRelays,
                       @Schema(description = "how many registered relays are in each connector state (live, "
                               + "connecting, backoff, ...)", example = "{\"live\":998,\"backoff\":2}")
                       Map<String, Long> relayStates) {

        /**
         * The page for {@code fleet} as instance {@code self} sees it. Each relay's state alone is asked for, not
         * its status: the summary reads no queue depth, so polling it costs no broker round trip.
         */
        static Page of(LeaseKeeper.Fleet fleet, String self, RelayLifecycle lifecycle) {
            Map<String, Long> owned = fleet.leases().values().stream().map(Lease::owner).flatMap(Optional::stream)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            List<View> instances = fleet.instances().stream()
                    .map(instance -> View.of(instance, owned.getOrDefault(instance.id(), 0L), self))
                    .toList();
            long unowned = fleet.leases().values().stream().filter(lease -> lease.owner().isEmpty()).count();
            Map<String, Long> states = new TreeMap<>();
            for (UUID relay : fleet.leases().keySet()) {
                states.merge(lifecycle.state(relay).apiName(), 1L, Long::sum);
            }
            return new Page(self, instances, unowned, states);
        }
    }

    @Schema(name = "Instance")
    public record View(String id, Instant startedAt, @Schema(description = "live until this time unless it renews")
            Instant expiresAt, long relays, boolean self) {

        static View of(Instance instance, long relays, String self) {
            return new View(instance.id(), instance.startedAt(), instance.expiresAt(), relays,
                    instance.id().equals(self));
        }
    }
}
