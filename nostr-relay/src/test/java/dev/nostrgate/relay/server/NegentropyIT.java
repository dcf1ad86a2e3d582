package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.negentropy.NegentropyClient;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NIP-77 over a real socket against PostgreSQL: our negentropy client reconciles with the relay's store and learns
 * exactly what each side lacks; the limits answer {@code NEG-ERR "blocked: ..."}, a closed or unknown session
 * {@code "closed: ..."}, a message that cannot be read {@code "invalid: ..."}, and the connection goes on.
 */
class NegentropyIT {
    private static final int MAX_ITEMS = 40;
    private static final int MAX_SESSIONS = 2;
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withNegentropy(new RelayConfig.Negentropy(MAX_SESSIONS, MAX_ITEMS,
                0)));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void reconcilesPartlyOverlappingSetsBothWays() {
        SecKey key = SecKey.generate();
        long now = now();
        SortedVectorStorage.Builder local = SortedVectorStorage.builder();
        Set<String> relayOnly = new HashSet<>();
        Set<String> localOnly = new HashSet<>();
        try (TestClient client = relay.connect()) {
            for (int i = 0; i < 36; i++) {
                Event stored = event(key, 1, now - i * 7L, "stored " + i);
                assertThat(client.publish(stored).accepted()).isTrue();
                if (i % 3 == 0) {
                    relayOnly.add(stored.id().hex());
                } else {
                    local.add(stored.createdAt(), stored.id().toBytes());
                }
            }
            for (int i = 0; i < 5; i++) {
                Event notSent = event(key, 1, now - i * 5L, "kept local " + i);
                local.add(notSent.createdAt(), notSent.id().toBytes());
                localOnly.add(notSent.id().hex());
            }
            // an event of another author the filter leaves out
            assertThat(client.publish(event(SecKey.generate(), 1, now, "other")).accepted()).isTrue();

            Set<String> have = new HashSet<>();
            Set<String> need = new HashSet<>();
            int rounds = reconcile(client, "sync", Filter.builder().authors(key.pubKey().hex()).build(),
                    local.build(), have, need);

            assertThat(need).isEqualTo(relayOnly);
            assertThat(have).isEqualTo(localOnly);
            assertThat(rounds).isGreaterThanOrEqualTo(1);
            client.send(new ClientMessage.NegClose("sync"));
        }
    }

    @Test
    void refusesAFilterMatchingMoreThanMaxItems() {
        SecKey key = SecKey.generate();
        try (TestClient client = relay.connect()) {
            for (int i = 0; i <= MAX_ITEMS; i++) {
                assertThat(client.publish(event(key, 1, now() - i, "many " + i)).accepted()).isTrue();
            }
            client.send(new ClientMessage.NegOpen("big", Filter.builder().authors(key.pubKey().hex()).build(),
                    new NegentropyClient(SortedVectorStorage.builder().build(), 0).initiateHex()));

            RelayMessage.NegErr error = client.next(RelayMessage.NegErr.class);
            assertThat(error.subscriptionId()).isEqualTo("big");
            assertThat(error.reason()).startsWith("blocked: too many items");
            assertThat(client.req("still-works", Filter.builder().authors(key.pubKey().hex()).limit(1).build()))
                    .hasSize(1);
        }
    }

    @Test
    void negCloseEndsTheSessionAndReopeningAnIdReplacesIt() {
        try (TestClient client = relay.connect()) {
            Filter nothing = Filter.builder().authors(SecKey.generate().pubKey().hex()).build();
            client.send(new ClientMessage.NegOpen("a", nothing, "6100000200"));
            assertThat(client.next(RelayMessage.NegMsg.class).messageHex()).isEqualTo("6100000200");
            client.send(new ClientMessage.NegOpen("a", nothing, "6100000200")); // replaces, counts once
            assertThat(client.next(RelayMessage.NegMsg.class).subscriptionId()).isEqualTo("a");
            client.send(new ClientMessage.NegOpen("b", nothing, "6100000200"));
            assertThat(client.next(RelayMessage.NegMsg.class).subscriptionId()).isEqualTo("b");

            client.send(new ClientMessage.NegOpen("c", nothing, "6100000200"));
            RelayMessage.NegErr full = client.next(RelayMessage.NegErr.class);
            assertThat(full.subscriptionId()).isEqualTo("c");
            assertThat(full.reason()).startsWith("blocked: too many open negentropy sessions");

            client.send(new ClientMessage.NegClose("a"));
            client.send(new ClientMessage.NegMsg("a", "6100000200"));
            assertThat(client.next(RelayMessage.NegErr.class).reason()).startsWith("closed: ");
            client.send(new ClientMessage.NegOpen("c", nothing, "6100000200")); // room again
            assertThat(client.next(RelayMessage.NegMsg.class).subscriptionId()).isEqualTo("c");
        }
    }

    @Test
    void malformedNegMsgIsInvalidAndTheConnectionGoesOn() {
        try (TestClient client = relay.connect()) {
            Filter nothing = Filter.builder().authors(SecKey.generate().pubKey().hex()).build();
            client.send(new ClientMessage.NegOpen("m", nothing, "6100000200"));
            client.next(RelayMessage.NegMsg.class);
            client.send(new ClientMessage.NegMsg("m", "61000007")); // mode 7 does not exist
            RelayMessage.NegErr error = client.next(RelayMessage.NegErr.class);
            assertThat(error.subscriptionId()).isEqualTo("m");
            assertThat(error.reason()).startsWith("invalid: ");

            client.send(new ClientMessage.NegOpen("v2", nothing, "62aabbccddeeff")); // a future version
            assertThat(client.next(RelayMessage.NegMsg.class).messageHex()).as("our version, to downgrade to")
                    .isEqualTo("61");
            assertThat(client.req("after", Filter.builder().authors(SecKey.generate().pubKey().hex()).build()))
                    .isEmpty();
        }
    }

    /** Runs a whole reconciliation; returns how many NEG-MSG replies it took. */
    private static int reconcile(TestClient client, String id, Filter filter, SortedVectorStorage local,
                                 Set<String> have, Set<String> need) {
        NegentropyClient negentropy = new NegentropyClient(local, 0);
        client.send(new ClientMessage.NegOpen(id, filter, negentropy.initiateHex()));
        int rounds = 0;
        while (true) {
            RelayMessage.NegMsg reply = client.next(RelayMessage.NegMsg.class);
            assertThat(reply.subscriptionId()).isEqualTo(id);
            rounds++;
            Optional<String> next = negentropy.reconcileHex(reply.messageHex(), have::add, need::add);
            if (next.isEmpty()) {
                return rounds;
            }
            client.send(new ClientMessage.NegMsg(id, next.get()));
        }
    }
}
