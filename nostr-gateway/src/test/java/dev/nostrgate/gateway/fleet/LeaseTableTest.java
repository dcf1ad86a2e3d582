package dev.nostrgate.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.config.GatewayMigrations;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.relay.store.TestDatabase;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease statements on PostgreSQL in SERIALIZABLE mode, as CockroachDB runs every transaction. */
class LeaseTableTest {
    private static final Duration TTL = Duration.ofSeconds(30);

    private TestDatabase database;
    private LeaseTable leases;
    private RelayRegistry registry;

    @BeforeEach
    void migrate() {
        database = TestDatabase.create();
        GatewayMigrations.migrate(database.database().writes());
        DSLContext dsl = DSL.using(database.database().writes(), SQLDialect.POSTGRES);
        leases = new LeaseTable(dsl);
        registry = new RelayRegistry(dsl);
    }

    @AfterEach
    void drop() {
        database.close();
    }

    private List<UUID> register(int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RegisteredRelay relay = registry.add(URI.create("wss://relay-" + i + ".example"), "relay " + i,
                    List.of(Filter.ALL));
            ids.add(relay.id());
        }
        leases.addMissing();
        return ids;
    }

    @Test
    void everyRegisteredRelayGetsOneFreeLease() {
        register(3);
        leases.addMissing(); // twice: nothing more
        assertThat(leases.all()).hasSize(3).allSatisfy(lease -> assertThat(lease.owner()).isEmpty());
    }

    @Test
    void aTakenLeaseIsRenewedOnlyByItsOwnerAndTakenByNoOneElseUntilItExpires() {
        register(4);
        assertThat(leases.take("a", TTL, 3)).hasSize(3);
        assertThat(leases.take("b", TTL, 3)).as("only one left free").hasSize(1);
        assertThat(leases.renew("a", TTL)).hasSize(3);
        assertThat(leases.renew("b", TTL)).hasSize(1);
        assertThat(leases.take("c", TTL, 10)).isEmpty();

        TestDatabase.execute("UPDATE " + database.schema() + ".gateway_relay_leases SET expires_at = now() - "
                + "interval '1 second' WHERE owner = 'a'");
        assertThat(leases.take("c", TTL, 10)).as("a's leases expired").hasSize(3);
        assertThat(leases.renew("a", TTL)).as("a lost them").isEmpty();
    }

    @Test
    void instancesRacingForTheSameLeasesNeverBothGetOne() throws Exception {
        register(40);
        List<CompletableFuture<Set<UUID>>> racers = new ArrayList<>();
        for (String owner : List.of("a", "b", "c", "d")) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                Set<UUID> mine = new HashSet<>();
                for (int attempt = 0; attempt < 200 && mine.size() < 10; attempt++) {
                    try {
                        mine.addAll(leases.take(owner, TTL, 10 - mine.size()));
                    } catch (RuntimeException serializationFailure) {
                        // 40001: the keeper retries the same way
                    }
                }
                return mine;
            }));
        }
        Set<UUID> all = new HashSet<>();
        int total = 0;
        for (CompletableFuture<Set<UUID>> racer : racers) {
            Set<UUID> mine = racer.get();
            total += mine.size();
            all.addAll(mine);
        }
        assertThat(total).as("no lease taken twice").isEqualTo(all.size());
        assertThat(leases.all()).allSatisfy(lease -> assertThat(lease.owner()).isPresent());
    }

    @Test
    void claimingTheLeaseOfARelayNoLongerRegisteredIsRefusedNotAnError() {
        UUID relay = register(1).get(0);
        registry.remove(relay); // a removal that finished while a REST request was about to claim the relay

        assertThat(leases.claim(relay, "a", TTL)).isFalse();
        assertThat(leases.all()).isEmpty();
    }

    @Test
    void claimTakesAFreeOrOwnLeaseButNotAnotherInstancesLiveOne() {
        UUID relay = register(1).get(0);
        assertThat(leases.claim(relay, "a", TTL)).isTrue();
        assertThat(leases.claim(relay, "a", TTL)).as("its own").isTrue();
        assertThat(leases.claim(relay, "b", TTL)).isFalse();
        leases.release("a", List.of(relay));
        assertThat(leases.claim(relay, "b", TTL)).isTrue();
    }

    @Test
    void removingARelayWhoseLeaseIsBeingRenewedRetriesTheSerializationFailure() {
        UUID id = register(1).get(0);
        // CockroachDB (and PostgreSQL SERIALIZABLE) fails the cascading delete now and then while an owner renews
        // the lease: the first delete here fails as they do, with 40001
        AtomicInteger failuresLeft = new AtomicInteger(2);
        DSLContext failingOnce = DSL.using(database.database().writes(), SQLDialect.POSTGRES);
        failingOnce.configuration().set(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext context) {
                if (context.sql().startsWith("delete from \"gateway_relays\"") && failuresLeft.getAndDecrement() > 0) {
                    throw new DataAccessException("injected", new SQLException(
                            "could not serialize access due to concurrent update", "40001"));
                }
            }
        });

        assertThat(new RelayRegistry(failingOnce).remove(id)).as("removed after two failures").isTrue();
        assertThat(failuresLeft.get()).isNegative();
        assertThat(registry.find(id)).isEmpty();
        assertThat(leases.all()).as("its lease went with it").isEmpty();
    }

    @Test
    void leavingFreesEveryLeaseAndTheHeartbeat() {
        register(2);
        leases.heartbeat("a", Instant.now(), TTL);
        leases.heartbeat("b", Instant.now(), TTL);
        leases.take("a", TTL, 2);
        assertThat(leases.liveInstances()).extracting(Instance::id).containsExactly("a", "b");

        leases.leave("a");
        assertThat(leases.liveInstances()).extracting(Instance::id).containsExactly("b");
        assertThat(leases.all()).allSatisfy(lease -> assertThat(lease.owner()).isEmpty());
    }

    @Test
    void aChangeOrARemovalMarkMovesTheVersionThatOwnersFollow() {
        UUID id = register(1).get(0);
        long before = leases.version(id).orElseThrow();
        registry.update(registry.find(id).orElseThrow().withPaused(true));
        assertThat(leases.version(id)).contains(before + 1);
        registry.markRemoving(id);
        assertThat(leases.all().get(0).removing()).isTrue();
        assertThat(registry.find(id)).as("no longer listed").isEmpty();
        assertThat(registry.all()).isEmpty();
        registry.remove(id);
        assertThat(leases.all()).as("the lease goes with the relay").isEmpty();
    }
}
