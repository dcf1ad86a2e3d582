package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the store sends on the CockroachDB path, checked on PostgreSQL: the store is told it talks to CockroachDB
 * (the SQL it writes then is the SQL CockroachDB would get) and every statement is recorded on its way out.
 * No statement may modify one table twice, and no COPY may be sent (see {@link TagRows#insert}).
 */
class CockroachStatementRulesTest {
    private static final SecKey KEY = SecKey.fromHex("c1eee22f68dc218d98263cfecb350db6fc6b3e836b47423b66c62af7ae3e32bb");
    private static final Instant WRITTEN = Instant.ofEpochSecond(1_000);

    private static TestDatabase db;

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.truncate();
    }

    /** A store on the test database that believes it talks to the vendor, and the list it records into. */
    private record Recorded(SqlEventStore store, RecordingDataSource recorder) {
        static Recorded on(Database.Vendor vendor, Clock clock) {
            List<RecordingDataSource> sources = RecordingDataSource.recording(db.database().writes(),
                    db.database().reads());
            return new Recorded(new SqlEventStore(sources.get(0), sources.get(1), vendor, StoreConfig.DEFAULTS,
                    clock), sources.get(0));
        }
    }

    @Test
    void noStatementOfTheWriteCasesSweepOrBigBatchModifiesATableTwice() throws Exception {
        Recorded cockroach = Recorded.on(Database.Vendor.COCKROACHDB, Clock.fixed(WRITTEN, ZoneOffset.UTC));
        for (JsonNode writeCase : (Iterable<JsonNode>) WriteSemanticsTest.cases()::iterator) {
            List<Event> events = new ArrayList<>();
            for (JsonNode json : writeCase.get("send_in_order")) {
                events.add(EventJson.parse(json.toString()));
            }
            for (Event event : events) {
                cockroach.store().saveAll(List.of(event));
            }
            db.truncate();
            cockroach.store().saveAll(events);
            db.truncate();
        }
        cockroach.store().saveAll(bigBatch(300, 8, 900 + 3_600));
        cockroach.store().query(List.of(Filter.ALL));
        Clock later = Clock.fixed(WRITTEN.plus(Duration.ofHours(2)), ZoneOffset.UTC);
        assertThat(Recorded.on(Database.Vendor.COCKROACHDB, later).store().deleteExpired(later.millis() / 1000, 500))
                .isEqualTo(300);

        Set<String> statements = new LinkedHashSet<>(cockroach.recorder().statements());
        // the recorder saw the statements that modify several tables at once, so the check below means something
        assertThat(statements).contains(EventInsert.WITH_TAG_ROWS);
        assertThat(statements).anyMatch(sql -> sql.contains("INSERT INTO events_history")
                && sql.contains("DELETE FROM events"));
        for (String sql : statements) {
            assertThat(ModifiedTables.modifiedTwice(sql)).as(sql).isEmpty();
        }
        assertThat(statements).doesNotContain(RecordingDataSource.COPY);
    }

    @Test
    void writesABatchOfThousandsOfTagRowsOnTheCockroachPathInChunkedInsertsWithoutCopy() {
        Recorded cockroach = Recorded.on(Database.Vendor.COCKROACHDB, Clock.systemUTC());
        List<Event> batch = bigBatch(300, 8, 0);
        assertThat(300 * 8).isGreaterThan(TagRows.COCKROACH_CHUNK_ROWS);

        assertThat(cockroach.store().saveAll(batch)).extracting(SaveOutcome::status)
                .containsOnly(SaveOutcome.Status.STORED);

        assertThat(db.rowCount("event_tags")).isEqualTo(300 * 8);
        assertThat(cockroach.store().query(List.of(Filter.builder().tag('t', "topic7").build()))).hasSize(300);
        List<String> statements = cockroach.recorder().statements();
        assertThat(statements).doesNotContain(RecordingDataSource.COPY);
        assertThat(statements).filteredOn(sql -> sql.startsWith("INSERT INTO event_tags")).hasSize(2);
    }

    @Test
    void sendsTheSameBigBatchThroughCopyOnPostgresql() {
        // the other side of the test above: the recorder does see a COPY when one is sent
        Recorded postgres = Recorded.on(Database.Vendor.POSTGRESQL, Clock.systemUTC());
        postgres.store().saveAll(bigBatch(300, 8, 0));
        assertThat(db.rowCount("event_tags")).isEqualTo(300 * 8);
        assertThat(postgres.recorder().statements()).contains(RecordingDataSource.COPY)
                .noneMatch(sql -> sql.startsWith("INSERT INTO event_tags"));
    }

    /** Notes written at second 900, each with {@code tags} t tags, expiring at {@code expiration} (0: never). */
    private static List<Event> bigBatch(int notes, int tags, long expiration) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < notes; i++) {
            List<Tag> tagList = new ArrayList<>();
            for (int t = 0; t < tags; t++) {
                tagList.add(Tag.of("t", "topic" + t));
            }
            if (expiration > 0) {
                tagList.add(Tag.of("expiration", Long.toString(expiration)));
            }
            batch.add(new UnsignedEvent(KEY.pubKey(), 900, 1, tagList, "note " + i).sign(KEY));
        }
        return batch;
    }
}
