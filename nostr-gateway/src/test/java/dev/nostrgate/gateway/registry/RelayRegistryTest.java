package dev.nostrgate.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.config.GatewayMigrations;
import dev.nostrgate.relay.store.TestDatabase;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reading many registrations at once, as the lease keeper does to start the relays it took; and changing one, with
 * the version by which its owner notices and by which a failed change is put back without taking a later one along.
 */
class RelayRegistryTest {
    private TestDatabase database;
    private RelayRegistry registry;

    @BeforeEach
    void migrate() {
        database = TestDatabase.create();
        GatewayMigrations.migrate(database.database().writes());
        registry = new RelayRegistry(DSL.using(database.database().writes(), SQLDialect.POSTGRES));
    }

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void findsEveryRegisteredRelayAskedForAcrossSeveralQueriesAndNoOther() {
        List<UUID> registered = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) { // three queries of up to 1,000 ids
            registered.add(registry.add(URI.create("wss://relay-" + i + ".example"), "relay " + i,
                    List.of(Filter.ALL)).id());
        }
        List<UUID> asked = new ArrayList<>(registered.subList(0, 2_400));
        UUID unknown = UUID.randomUUID();
        asked.add(unknown);

        Map<UUID, RegisteredRelay> found = registry.find(asked);

        assertThat(found).hasSize(2_400).doesNotContainKey(unknown);
        assertThat(found.get(registered.get(1_234))).isEqualTo(registry.find(registered.get(1_234)).orElseThrow());
    }

    @Test
    void leavesOutARelayBeingRemovedAsFindingOneDoes() {
        RegisteredRelay kept = registry.add(URI.create("wss://kept.example"), "kept", List.of(Filter.ALL));
        RegisteredRelay going = registry.add(URI.create("wss://going.example"), "going", List.of(Filter.ALL));
        registry.markRemoving(going.id());

        assertThat(registry.find(List.of(kept.id(), going.id()))).containsOnlyKeys(kept.id());
        assertThat(registry.find(going.id())).isEmpty();
    }

    @Test
    void askingForNoneAsksTheDatabaseNothing() {
        assertThat(registry.find(List.of())).isEmpty();
    }

    @Test
    void aChangeCountsAVersionAndItsUndoPutsTheSettingsBack() {
        RegisteredRelay before = registry.add(URI.create("wss://relay.example"), "relay", List.of(Filter.ALL));

        long written = registry.update(before.withPaused(true)).orElseThrow();
        assertThat(registry.find(before.id()).orElseThrow().paused()).isTrue();
        assertThat(registry.findVersioned(before.id()).orElseThrow().version()).as("read with its row")
                .isEqualTo(written);

        assertThat(registry.undo(before, written)).isTrue();
        assertThat(registry.find(before.id()).orElseThrow()).isEqualTo(before);
    }

    @Test
    void anUndoLeavesAChangeSavedAfterTheOneItUndoes() {
        RegisteredRelay before = registry.add(URI.create("wss://relay.example"), "relay", List.of(Filter.ALL));
        long first = registry.update(before.withPaused(true)).orElseThrow();
        RegisteredRelay later = before.withPaused(true).withName("renamed");
        long second = registry.update(later).orElseThrow();

        assertThat(second).isGreaterThan(first);
        assertThat(registry.undo(before, first)).as("the first change could not be applied").isFalse();
        assertThat(registry.find(before.id()).orElseThrow()).isEqualTo(later);
    }

    @Test
    void changingARelayNoLongerRegisteredWritesNothing() {
        RegisteredRelay gone = new RegisteredRelay(UUID.randomUUID(), URI.create("wss://gone.example"), "gone",
                List.of(Filter.ALL), false, OptionalLong.empty(), Instant.now());

        assertThat(registry.update(gone)).isEmpty();
    }
}
