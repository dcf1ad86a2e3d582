package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An imported event is served in the bytes it was imported with, and only if they are that event. */
class WireJsonTest {
    private static final SecKey KEY = SecKey.generate();

    @Test
    void theStoreServesTheTextItWasGiven() {
        try (TestDatabase database = TestDatabase.create()) {
            SqlEventStore store = new SqlEventStore(database.database(), StoreConfig.DEFAULTS);
            Event event = event("é \"quoted\"");
            // another field order, spaces, and an escape where NIP-01 writes the character itself
            String asSent = "{\"content\":\"\\u00e9 \\\"quoted\\\"\", \"created_at\":" + event.createdAt()
                    + ",\"id\":\"" + event.id().hex() + "\",\"kind\":1,\"pubkey\":\"" + event.pubkey().hex()
                    + "\",\"sig\":\"" + event.sig() + "\",\"tags\":[[\"t\",\"x\"]]}";
            store.saveAll(List.of(event));

            int changed = WireJson.keep(database.database().writes(), Map.of(event, asSent));

            assertThat(changed).isOne();
            SqlEventStore fresh = new SqlEventStore(database.database(), StoreConfig.DEFAULTS);
            assertThat(fresh.query(List.of(Filter.builder().ids(event.id().hex()).build())))
                    .singleElement().extracting(StoredEvent::json).isEqualTo(asSent);
        }
    }

    @Test
    void theCanonicalTextChangesNothingAndAnotherEventsTextIsRefused() {
        try (TestDatabase database = TestDatabase.create()) {
            Event event = event("one");
            Event other = event("two");

            assertThat(WireJson.keep(database.database().writes(), Map.of(event, event.toJson()))).isZero();
            assertThatThrownBy(() -> WireJson.keep(database.database().writes(), Map.of(event, other.toJson())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is another event");
        }
    }

    private static Event event(String content) {
        return new UnsignedEvent(KEY.pubKey(), 1_700_000_000L, 1, List.of(Tag.of("t", "x")), content).sign(KEY);
    }
}
