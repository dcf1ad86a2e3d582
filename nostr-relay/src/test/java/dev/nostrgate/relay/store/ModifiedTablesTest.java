package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModifiedTablesTest {

    @Test
    void catchesATableModifiedByTwoCtesOfOneStatement() {
        String sql = "WITH gone AS (DELETE FROM events WHERE kind = 1 RETURNING event_key), "
                + "again AS (INSERT INTO events (event_key) SELECT event_key FROM gone ON CONFLICT DO NOTHING) SELECT 1";
        assertThat(ModifiedTables.of(sql)).containsExactly("events", "events");
        assertThat(ModifiedTables.modifiedTwice(sql)).isEqualTo(Map.of("events", 2));
    }

    @Test
    void catchesAnUpdateOfTheTableTheMainStatementInsertsInto() {
        String sql = "WITH touched AS (UPDATE public.\"Heads\" SET created_at = 1 RETURNING id) "
                + "INSERT INTO \"Heads\" (id) SELECT id FROM touched";
        assertThat(ModifiedTables.modifiedTwice(sql)).isEqualTo(Map.of("Heads", 2));
    }

    @Test
    void countsEachTableOfAStatementThatModifiesSeveralOnce() {
        String sql = "WITH replaced AS (DELETE FROM events e USING unnest(?::UUID[]) AS w(k) WHERE e.event_key = w.k "
                + "RETURNING e.event_key), kept AS (INSERT INTO events_history (event_key) SELECT event_key "
                + "FROM replaced ON CONFLICT (event_key) DO NOTHING) SELECT event_key FROM replaced";
        assertThat(ModifiedTables.of(sql)).containsExactly("events", "events_history");
        assertThat(ModifiedTables.modifiedTwice(sql)).isEmpty();
    }

    @Test
    void readsAnUpsertsUpdateAndARowLockAsNoFurtherModification() {
        assertThat(ModifiedTables.of("INSERT INTO heads (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET "
                + "v = excluded.v WHERE excluded.v > heads.v")).containsExactly("heads");
        assertThat(ModifiedTables.of("SELECT * FROM heads WHERE k = ANY(?) FOR UPDATE")).isEmpty();
        assertThat(ModifiedTables.of("SELECT * FROM heads FOR NO KEY UPDATE OF heads")).isEmpty();
        assertThat(ModifiedTables.of("UPSERT INTO heads (k) VALUES (1)")).containsExactly("heads");
    }

    @Test
    void ignoresKeywordsInsideStringLiteralsAndComments() {
        String sql = "INSERT INTO notes (text) VALUES ('then DELETE FROM notes; UPDATE notes') -- UPDATE notes";
        assertThat(ModifiedTables.of(sql)).containsExactly("notes");
    }
}
