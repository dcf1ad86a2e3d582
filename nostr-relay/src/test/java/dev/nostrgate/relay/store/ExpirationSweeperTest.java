package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpirationSweeperTest {

    @Test
    void deletesEveryExpiredEventInChunksAndNothingElse() throws Exception {
        SecKey key = SecKey.generate();
        try (TestDatabase db = TestDatabase.create()) {
            Clock writeTime = Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC);
            SqlEventStore store = new SqlEventStore(db.database(), StoreConfig.DEFAULTS, writeTime);
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                events.add(new UnsignedEvent(key.pubKey(), 900, 1, List.of(Tag.of("expiration", "2000")), "e" + i)
                        .sign(key));
            }
            Event lasting = new UnsignedEvent(key.pubKey(), 900, 1, List.of(), "stays").sign(key);
            events.add(lasting);
            store.saveAll(events);

            Clock later = Clock.fixed(Instant.ofEpochSecond(3_000), ZoneOffset.UTC);
            try (ExpirationSweeper sweeper = new ExpirationSweeper(store, later, Duration.ofHours(1))) {
                assertThat(sweeper.sweep()).isEqualTo(1_200);
                assertThat(sweeper.sweep()).isZero();
            }
            assertThat(store.count(List.of(dev.nostrgate.core.filter.Filter.ALL))).isEqualTo(1);
            try (var connection = db.database().writes().getConnection();
                 var rows = connection.createStatement().executeQuery("SELECT count(*) FROM event_tags")) {
                rows.next();
                assertThat(rows.getInt(1)).as("tag rows of swept events").isZero();
            }
        }
    }
}
